#!/usr/bin/env python3
# test-wizard-pop3.py: a person adds their account end to end against the local stack:
# types name, address and password, the settings are found, POP3 is chosen, the servers'
# self-signed certificate is trusted through the certificate dialog (for the incoming server,
# and the outgoing server on another port is still refused until trusted on its own), both
# logins are verified, and the account is saved: settings in accounts.ini, the password only
# in the keyring (no file under the config or data directories contains it).
#
# Copyright 2026 The Example Mail authors
# SPDX-License-Identifier: GPL-3.0-or-later

import importlib.util
import os
import time

import uitest

spec = importlib.util.spec_from_file_location(
    'wizard_common', os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                  'test-wizard-common.py'))
w = importlib.util.module_from_spec(spec)
spec.loader.exec_module(w)

t = uitest.Tap()
w.require_stack(t)

EMAIL = w.stack('ALICE')
PASSWORD = w.stack('ALICE_PASSWORD')
HOST = w.stack('TLS_NAME')

autoconfig = w.AutoconfigServer()
profile = w.Profile()
app = w.start_app(profile, autoconfig)
try:
    t.ok(w.open_wizard(app) is not None, 'Add Account opens the wizard')
    w.fill_identity('Alice Example', EMAIL, PASSWORD)
    found = w.find_label_containing(app, f'Settings found for {w.PROVIDER_NAME}', timeout=30)
    t.ok(found is not None, 'the settings are looked up while typing and found')
    t.ok(w.wait_for(lambda: w.sensitive(app.find('push button', 'Next', timeout=1))),
         'Next is enabled once the lookup is done')
    identity = w.page(app, 'Your Account')
    t.ok(w.find_label_containing(app, 'Your provider’s website (HTTPS)', root=identity)
         is not None and w.find_label_containing(app, 'Found', root=identity) is not None,
         'a progress row per source shows where the settings were found')
    w.shot('wizard-identity')

    uitest.press_keys('Return')
    result = w.page(app, 'Settings Found')
    t.ok(w.find_label_containing(app, f'Your Mail at {w.PROVIDER_NAME}', timeout=10) is not None,
         'Enter goes on to the result page, with the provider name')
    t.ok(w.find_label_containing(app, 'removes it from the server', root=result) is not None,
         'POP3 is explained in one line')
    t.ok(w.find_label_containing(app, 'Published by your provider', root=result) is not None,
         'the page says where the settings came from')
    pop3 = w.find_in(app, result, 'check box', 'POP3')
    w.press(pop3)
    t.ok(w.wait_for(lambda: w.checked(pop3), 5), 'POP3 is chosen')
    w.shot('wizard-result')

    uitest.click(app.find('push button', 'Next'))
    trust = w.response_button(app, 'Trust This Certificate')
    t.ok(trust is not None, 'the unknown certificate of the incoming server opens the dialog')
    fingerprint = w.stack('SERVER_CERT_SHA256')
    pretty = ':'.join(fingerprint[i:i + 2] for i in range(0, len(fingerprint), 2)).upper()
    t.ok(w.find_label_containing(app, pretty, timeout=5) is not None,
         'the dialog shows the SHA-256 fingerprint')
    t.ok(w.find_label_containing(app, f'{HOST} (port {w.stack("POP3S_PORT")})', timeout=5)
         is not None, 'the dialog names the server and port the exception is for')
    w.shot('wizard-certificate')
    uitest.click(trust)

    time.sleep(1)
    trust = w.response_button(app, 'Trust This Certificate')
    t.ok(trust is not None and
         w.find_label_containing(app, f'(port {w.stack("SUBMISSIONS_PORT")})', timeout=5),
         'the pin is for that server only: the outgoing server on another port is still '
         'refused and asks again')
    uitest.click(trust)

    verify = w.page(app, 'Checking Your Account')
    add = w.wait_for(lambda: (lambda b: b if w.sensitive(b) else None)(
        app.find('push button', 'Add', timeout=1)), 40)
    t.ok(add is not None, 'both logins succeed and Add is enabled')
    t.ok(w.find_label_containing(app, 'Incoming server (POP3)', root=verify) is not None,
         'the incoming row names POP3')
    logged_in = [n for n in uitest.find_all(verify, role='label')
                 if 'Logged in over an encrypted connection' in (n.get_name() or '')]
    t.ok(len(logged_in) == 2, f'two servers verified ({len(logged_in)})')
    t.ok(w.find_label_containing(app, 'Leave Copies on the Server', root=verify) is not None,
         'POP3 options are offered before finishing')
    w.shot('wizard-verify')

    uitest.click(add)
    shown = w.find_label_containing(app, f'{EMAIL} is set up', timeout=20)
    t.ok(shown is not None, 'the main window shows the new account')
    w.shot('wizard-done')

    ini = os.path.join(profile.config, 'example-mail', 'accounts.ini')
    text = open(ini).read() if os.path.exists(ini) else ''
    t.ok('pop3' in text and HOST in text and w.stack('POP3S_PORT') in text,
         'accounts.ini has the POP3 server')
    t.ok(w.keyring_lookup(protocol='pop3', host=HOST, user=EMAIL) == PASSWORD,
         'the incoming password is in the keyring')
    t.ok(w.keyring_lookup(protocol='smtp', host=HOST, user=EMAIL) == PASSWORD,
         'the outgoing password is in the keyring')
    leaks = profile.contains(PASSWORD)
    t.ok(not leaks, f'no file under the config or data directories holds the password {leaks}')
    pins = [p for p in profile.files() if p.endswith('certificate-pins.ini')]
    pin_text = open(pins[0]).read() if pins else ''
    t.ok(len(pins) == 1 and w.stack('POP3S_PORT') in pin_text and
         w.stack('SUBMISSIONS_PORT') in pin_text and w.stack('IMAPS_PORT') not in pin_text,
         'the pins are in the account data directory, one per server trusted')
finally:
    app.quit()
    t.ok(app.proc.returncode is not None, 'app quits')

# Dark screenshots of the first pages.
profile2 = w.Profile()
app = w.start_app(profile2, autoconfig, dark=True)
try:
    w.open_wizard(app)
    w.fill_identity('Alice Example', EMAIL, PASSWORD)
    w.find_label_containing(app, 'Settings found', timeout=30)
    w.shot('wizard-identity', dark=True)
    uitest.press_keys('Return')
    w.find_label_containing(app, 'Your Mail at', timeout=10)
    w.shot('wizard-result', dark=True)
    uitest.click(app.find('push button', 'Change Settings…'))
    t.ok(w.page(app, 'Server Settings') is not None, 'Change Settings opens every field')
    w.shot('wizard-manual', dark=True)

    # Back to the result, and this time IMAP (the default), verified like POP3.
    uitest.click(app.find('push button', 'Back'))
    w.find_label_containing(app, 'Your Mail at', timeout=10)
    uitest.click(app.find('push button', 'Next'))
    for _ in range(2):
        trust = w.response_button(app, 'Trust This Certificate')
        if trust is not None:
            uitest.click(trust)
    verify = w.page(app, 'Checking Your Account')
    add = w.wait_for(lambda: (lambda b: b if w.sensitive(b) else None)(
        app.find('push button', 'Add', timeout=1)), 40)
    t.ok(add is not None and
         w.find_label_containing(app, 'Incoming server (IMAP)', root=verify, timeout=5),
         'IMAP is verified too')
    w.shot('wizard-verify', dark=True)
    uitest.click(add)
    t.ok(w.find_label_containing(app, f'{EMAIL} is set up', timeout=20) is not None,
         'the IMAP account is added')
    ini = os.path.join(profile2.config, 'example-mail', 'accounts.ini')
    t.ok(os.path.exists(ini) and 'imap' in open(ini).read(), 'accounts.ini has the IMAP server')
finally:
    app.quit()

autoconfig.stop()
profile.remove()
profile2.remove()
t.finish()
