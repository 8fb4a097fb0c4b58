#!/usr/bin/env python3
# test-wizard-retry.py: a wrong password gives a plain-language error with the fix, and the
# person can type the right one on the same page and retry; then the account is added.
#
# Copyright 2026 The Example Mail authors
# SPDX-License-Identifier: GPL-3.0-or-later

import importlib.util
import os

import uitest

spec = importlib.util.spec_from_file_location(
    'wizard_common', os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                  'test-wizard-common.py'))
w = importlib.util.module_from_spec(spec)
spec.loader.exec_module(w)

t = uitest.Tap()
w.require_stack(t)

EMAIL = w.stack('BOB')
PASSWORD = w.stack('BOB_PASSWORD')
HOST = w.stack('TLS_NAME')

autoconfig = w.AutoconfigServer()
profile = w.Profile()
app = w.start_app(profile, autoconfig)
try:
    w.open_wizard(app)
    w.fill_identity('Bob Example', EMAIL, 'not-my-password')
    t.ok(w.find_label_containing(app, 'Settings found', timeout=30) is not None,
         'settings found')
    uitest.press_keys('Return')
    result = w.page(app, 'Settings Found')
    w.find_label_containing(app, 'Your Mail at', timeout=10)
    w.press(w.find_in(app, result, 'check box', 'POP3'))
    uitest.click(app.find('push button', 'Next'))

    # Trust the certificate for each server as it comes up.
    for _ in range(2):
        trust = w.response_button(app, 'Trust This Certificate')
        if trust is not None:
            uitest.click(trust)

    verify = w.page(app, 'Checking Your Account')
    error = w.find_label_containing(app, 'did not accept the user name or password', root=verify,
                                    timeout=40)
    t.ok(error is not None, 'the wrong password is reported in plain words')
    t.ok(w.find_label_containing(app, 'Check the password', root=verify, timeout=5) is not None,
         'with the fix')
    add = app.find('push button', 'Add', timeout=5)
    t.ok(add is not None and not w.sensitive(add), 'the account cannot be added like this')
    w.shot('wizard-wrong-password')

    # The password field on this page has the focus: type the right one and press Enter.
    uitest.type_text(PASSWORD)
    uitest.press_keys('Return')
    add = w.wait_for(lambda: (lambda b: b if w.sensitive(b) else None)(
        app.find('push button', 'Add', timeout=1)), 40)
    t.ok(add is not None, 'after retrying with the right password both logins succeed')
    uitest.click(add)
    t.ok(w.find_label_containing(app, f'{EMAIL} is set up', timeout=20) is not None,
         'the account is added')
    t.ok(w.keyring_lookup(protocol='pop3', host=HOST, user=EMAIL) == PASSWORD,
         'the keyring has the corrected password')
    t.ok(not profile.contains(PASSWORD) and not profile.contains('not-my-password'),
         'no file holds either password')
    pins = [p for p in profile.files() if p.endswith('certificate-pins.ini')]
    t.ok(len(pins) == 1, 'the account has its certificate pins')

    # Removing the account from the main menu, after a confirmation.
    uitest.press_keys('F10')
    item = app.find(name='Remove Account…', timeout=10)
    if item is None:
        print('#', sorted({(n.get_role_name(), n.get_name()) for n in uitest.find_all(app.root)
                           if 'menu' in n.get_role_name()}))
    t.ok(item is not None, 'the main menu offers "Remove Account…"')
    w.press(item)
    remove = w.response_button(app, 'Remove', timeout=10)
    t.ok(remove is not None, 'removal asks for confirmation')
    w.shot('account-remove')
    uitest.click(remove)
    t.ok(w.find_label_containing(app, 'Account removed', timeout=15) is not None,
         'the window says the account was removed')
    t.ok(w.wait_for(lambda: w.keyring_lookup(protocol='pop3', host=HOST, user=EMAIL) is None, 10)
         and w.keyring_lookup(protocol='smtp', host=HOST, user=EMAIL) is None,
         'its passwords are gone from the keyring')
    t.ok(not any(p.endswith('certificate-pins.ini') for p in profile.files()),
         'its data directory (with the pins) is gone')
    ini = os.path.join(profile.config, 'example-mail', 'accounts.ini')
    t.ok(not os.path.exists(ini) or EMAIL not in open(ini).read(),
         'accounts.ini no longer lists it')
finally:
    app.quit()
    t.ok(app.proc.returncode is not None, 'app quits')

autoconfig.stop()
profile.remove()
t.finish()
