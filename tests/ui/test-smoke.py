#!/usr/bin/env python3
# test-smoke.py: the real app starts under Xvfb, shows the welcome page, is reachable by keyboard
# and through accessibility, and leaves screenshots (light and dark) in <build>/screenshots/.
#
# Copyright 2026 The Example Mail authors
# SPDX-License-Identifier: GPL-3.0-or-later

import time

import uitest

t = uitest.Tap()


def unnamed_controls(app):
    controls = []
    for role in ('push button', 'toggle button', 'check box', 'switch', 'text', 'password text',
                 'combo box', 'spin button'):
        for node in uitest.find_all(app.root, role=role):
            if not node.get_name():
                controls.append(role)
    return controls


def run(scheme, shot):
    env = {}
    if scheme == 'dark':
        env['ADW_DEBUG_COLOR_SCHEME'] = 'prefer-dark'
    app = uitest.App(env=env)
    try:
        app.wait_ready()
        t.ok(True, f'{scheme}: app appears on the accessibility bus')

        frame = app.find('frame', 'Mail')
        t.ok(frame is not None, f'{scheme}: main window "Mail" is shown')
        t.ok(app.find('label', 'Welcome to Mail') is not None, f'{scheme}: welcome page is shown')
        button = app.find('push button', 'Add Account')
        t.ok(button is not None, f'{scheme}: "Add Account" button is reachable by name')
        t.ok(app.find('push button', 'Main Menu') is not None,
             f'{scheme}: main menu button has an accessible name')
        missing = unnamed_controls(app)
        t.ok(not missing, f'{scheme}: every control has an accessible name (unnamed: {missing})')

        time.sleep(0.5)
        path = uitest.take_screenshot(shot)
        t.ok(uitest.distinct_colors(path) > 16, f'{scheme}: screenshot {path} is not blank')

        if scheme == 'light':
            uitest.click(button)
            wizard = app.find('label', 'Add Your Email Account', timeout=10)
            t.ok(wizard is not None, 'Add Account opens the account-setup wizard')
            uitest.press_keys('Escape')
            time.sleep(0.5)

            uitest.press_keys('ctrl+comma')
            prefs = app.find('frame', 'Preferences', timeout=10, root=app.root)
            if prefs is None:
                prefs = app.find('dialog', 'Preferences', timeout=2)
            t.ok(prefs is not None, 'Ctrl+comma opens the preferences window')
            t.ok(app.find('check box', 'Load Remote Content') is not None,
                 'preferences show the remote content switch')
            time.sleep(0.5)
            uitest.take_screenshot('preferences-light.png')
            uitest.press_keys('Escape')

            uitest.press_keys('ctrl+question')
            shortcuts = app.find('frame', 'Keyboard Shortcuts', timeout=10)
            t.ok(shortcuts is not None, 'Ctrl+? opens the keyboard shortcuts window')
            uitest.press_keys('Escape')
    finally:
        app.quit()
        t.ok(app.proc.returncode is not None, f'{scheme}: app quits')


run('light', 'welcome-light.png')
run('dark', 'welcome-dark.png')
t.finish()
