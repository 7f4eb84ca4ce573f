using ControlPanel.Domain.Errors;

namespace ControlPanel.Domain.Tests.Errors;

public class ChannelCatalogueTests
{
    [Fact]
    public void Catalogue_has_the_guides_sixteen_channels_in_order()
    {
        int[] numbers = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 14, 15, 16, 17, 99];

        Assert.Equal(numbers, ChannelCatalogue.All.Select(channel => channel.Number));
    }

    [Theory]
    [InlineData(0, "Live Chat", true)]
    [InlineData(1, "Callback", true)]
    [InlineData(2, "Email", false)]
    [InlineData(3, "voip", false)]
    [InlineData(4, "Video", false)]
    [InlineData(5, "WhatsApp", false)]
    [InlineData(6, "Skype", false)]
    [InlineData(7, "SMS", false)]
    [InlineData(8, "Twitter", false)]
    [InlineData(9, "Ticket", false)]
    [InlineData(10, "Facebook", true)]
    [InlineData(14, "Knowledge", true)]
    [InlineData(15, "IVA", true)]
    [InlineData(16, "Form Agent", true)]
    [InlineData(17, "Virtual Agent", true)]
    [InlineData(99, "Unknown", true)]
    public void Rows_match_the_guide(int number, string description, bool active)
    {
        Assert.Equal(new Channel(number, description, active), ChannelCatalogue.Get(number));
        Assert.Equal(active, ChannelCatalogue.IsActive(number));
    }

    [Fact]
    public void Struck_through_channels_two_to_nine_are_the_only_inactive_ones()
    {
        var inactive = ChannelCatalogue.All.Where(channel => !channel.Active).Select(channel => channel.Number);

        Assert.Equal(Enumerable.Range(2, 8), inactive);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(11)]
    [InlineData(13)]
    [InlineData(18)]
    [InlineData(98)]
    [InlineData(100)]
    public void Unknown_numbers_are_not_found_and_not_active(int number)
    {
        Assert.Throws<KeyNotFoundException>(() => ChannelCatalogue.Get(number));
        Assert.False(ChannelCatalogue.TryGet(number, out _));
        Assert.False(ChannelCatalogue.IsActive(number));
    }
}
