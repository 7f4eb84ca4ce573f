// Passkeys (WebAuthn) on the Identity pages, which post plain forms: a button with data-passkey="create" or "request"
// asks its data-passkey-options URL for the options, lets the browser make or use a passkey, puts the answer in the
// form's [data-passkey-credential] field and posts the form. Problems are shown in the form's [data-passkey-message].
(() => {
    const toBytes = text => {
        const base64 = text.replace(/-/g, '+').replace(/_/g, '/');
        return Uint8Array.from(atob(base64.padEnd(Math.ceil(base64.length / 4) * 4, '=')), c => c.charCodeAt(0));
    };
    const toText = buffer => btoa(String.fromCharCode(...new Uint8Array(buffer))).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
    const credentialsWithBytes = list => (list || []).map(c => ({ ...c, id: toBytes(c.id) }));

    const creationOptions = json => ({
        ...json,
        challenge: toBytes(json.challenge),
        user: { ...json.user, id: toBytes(json.user.id) },
        excludeCredentials: credentialsWithBytes(json.excludeCredentials),
    });
    const requestOptions = json => ({ ...json, challenge: toBytes(json.challenge), allowCredentials: credentialsWithBytes(json.allowCredentials) });

    // The credential as WebAuthn's JSON form (what Identity reads), written out for browsers without toJSON().
    const credentialJson = credential => {
        const answer = credential.response;
        const response = { clientDataJSON: toText(answer.clientDataJSON) };
        if (answer.attestationObject) {
            response.attestationObject = toText(answer.attestationObject);
            response.transports = answer.getTransports ? answer.getTransports() : [];
        } else {
            response.authenticatorData = toText(answer.authenticatorData);
            response.signature = toText(answer.signature);
            if (answer.userHandle) response.userHandle = toText(answer.userHandle);
        }
        return JSON.stringify({
            id: credential.id,
            rawId: toText(credential.rawId),
            type: credential.type,
            authenticatorAttachment: credential.authenticatorAttachment,
            response,
            clientExtensionResults: credential.getClientExtensionResults(),
        });
    };

    document.addEventListener('click', async event => {
        const button = event.target.closest('button[data-passkey]');
        if (!button || !button.form) return;
        event.preventDefault();
        const form = button.form;
        const message = form.querySelector('[data-passkey-message]');
        const show = text => { if (message) message.textContent = text; };
        if (!window.PublicKeyCredential || !navigator.credentials) {
            show('This browser cannot use passkeys.');
            return;
        }
        if (!form.reportValidity()) return;
        button.disabled = true;
        show('');
        try {
            const token = form.querySelector('input[name="__RequestVerificationToken"]')?.value ?? '';
            const answer = await fetch(button.dataset.passkeyOptions, { method: 'POST', headers: { RequestVerificationToken: token }, credentials: 'same-origin' });
            if (!answer.ok) throw new Error(`The options answered ${answer.status}.`);
            const options = await answer.json();
            const credential = button.dataset.passkey === 'create'
                ? await navigator.credentials.create({ publicKey: creationOptions(options) })
                : await navigator.credentials.get({ publicKey: requestOptions(options) });
            form.querySelector('[data-passkey-credential]').value = credentialJson(credential);
            form.submit();
        } catch (error) {
            button.disabled = false;
            show(error && error.name === 'NotAllowedError'
                ? 'No passkey was used: the request was cancelled or timed out. Try again.'
                : 'Your browser could not use a passkey here. Try again, or use your password.');
        }
    });
})();
