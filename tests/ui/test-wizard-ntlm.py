#!/usr/bin/env python3
# test-wizard-ntlm.py: "Secure Password Authentication" (NTLM) without SSL/TLS, chosen by hand,
# shows the warning in plain words and the wizard cannot go on until the person confirms that
# they understand the risk; a server on this computer gets a calm note instead.
#
# Copyright 2026 The Example Mail authors
# SPDX-License-Identifier: GPL-3.0-or-later

import importlib.util
import os
import time
import warnings

warnings.simplefilter("ignore", DeprecationWarning)

import uitest

spec = importlib.util.spec_from_file_location(
    'wizard_common', os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                  'test-wizard-common.py'))
w = importlib.util.module_from_spec(spec)
spec.loader.exec_module(w)

t = uitest.Tap()
w.require_stack(t)


def choose(app, combo, steps):
    """Opens a combo row and moves down `steps` entries with the keyboard."""
    w.press(combo)
    time.sleep(0.5)
    for _ in range(steps):
        uitest.press_keys('Down')
    uitest.press_keys('Return')
    time.sleep(0.5)


autoconfig = w.AutoconfigServer()
profile = w.Profile()
app = w.start_app(profile, autoconfig)
try:
    w.open_wizard(app)
    w.fill_identity('Dave Example', 'dave@corp.example', 'hunter2-secret')
    uitest.click(app.find('push button', 'Set Up Manually…'))
    manual = w.page(app, 'Server Settings')
    incoming = w.find_in(app, manual, 'list', 'Incoming Server')
    t.ok(incoming is not None, '"Set Up Manually" shows every field')
    t.ok(w.wait_for(lambda: w.sensitive(app.find('push button', 'Next', timeout=1)), 10),
         'guessed settings with SSL/TLS can go on')

    choose(app, w.find_in(app, incoming, 'combo box', 'Security'), 2)   # None
    choose(app, w.find_in(app, incoming, 'combo box', 'Authentication'), 3)   # NTLM
    warning = w.find_label_containing(app, 'without an encrypted connection', root=manual,
                                      timeout=10)
    t.ok(warning is not None, 'NTLM without TLS is explained as a danger')
    t.ok(w.find_label_containing(app, 'does not use encryption', root=manual, timeout=5)
         is not None, 'so is the missing encryption')
    spin = w.find_in(app, incoming, 'spin button', 'Port')
    t.ok(spin is not None and spin.get_value_iface().get_current_value() == 143,
         'choosing no encryption moved the port from 993 to 143')
    next_button = app.find('push button', 'Next')
    t.ok(not w.sensitive(next_button), 'the wizard cannot go on without acknowledgement')
    w.shot('wizard-ntlm-warning')

    risk = w.find_in(app, manual, 'check box', 'I understand the risk and want to continue')
    t.ok(risk is not None, 'an "I understand the risk" check is offered')
    t.ok(w.tab_to(risk), 'the risk check is reachable with Tab')
    uitest.press_keys('space')
    t.ok(w.wait_for(lambda: w.sensitive(app.find('push button', 'Next', timeout=1)), 5),
         'after acknowledging, Next is enabled')

    # A server on this very computer (a mail bridge) gets a calm note, no acknowledgement.
    host = w.find_in(app, incoming, 'text', 'Server')
    w.scroll(up=True)
    w.press(host)
    time.sleep(0.3)
    uitest.press_keys('ctrl+a')
    uitest.type_text('127.0.0.1')
    note = w.find_label_containing(app, 'is a program on this computer', root=manual, timeout=10)
    t.ok(note is not None, 'plaintext to 127.0.0.1 gets a calm note')
    t.ok(w.find_in(app, manual, 'check box', 'I understand the risk and want to continue',
                   timeout=2) is None, 'and asks for no acknowledgement')
    t.ok(w.wait_for(lambda: w.sensitive(app.find('push button', 'Next', timeout=1)), 5),
         'so Next is enabled')
finally:
    app.quit()
    t.ok(app.proc.returncode is not None, 'app quits')

autoconfig.stop()
profile.remove()
t.finish()
