# test-wizard-common.py: shared pieces of the account-setup wizard tests (loaded by the
# test-wizard-*.py scripts with importlib; not a test itself).
#
# Copyright 2026 The Example Mail authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# The wizard is driven like a person would: through AT-SPI and typed keys. The app is pointed
# at the local mail stack (build-aux/mail-stack, MAIL_STACK_* in the environment) through the
# documented test-only hooks MAIL_AUTOCONFIG_PROVIDER_URL and MAIL_AUTOCONFIG_CA_FILE: a small
# HTTPS server here publishes the provider's config-v1.1.xml, as a real provider would at
# https://autoconfig.<domain>/mail/config-v1.1.xml. The mail servers' certificate is NOT
# trusted by anything: the wizard must go through its certificate dialog.

import http.server
import os
import shutil
import ssl
import subprocess
import sys
import tempfile
import threading
import time

import uitest
from gi.repository import Atspi

PROVIDER_NAME = 'Example Test Mail'


def stack(key):
    return os.environ.get('MAIL_STACK_' + key)


def require_stack(tap):
    if stack('HOST') is not None:
        return
    if os.environ.get('MAIL_TEST_REQUIRE_STACK') == '1':
        tap.ok(False, 'the local mail stack is required (MAIL_STACK_* unset)')
        tap.finish()
    print('1..0 # SKIP no local mail stack: run through build-aux/dev test', flush=True)
    sys.exit(0)


def config_xml():
    host = stack('TLS_NAME')
    return f'''<?xml version="1.0" encoding="UTF-8"?>
<clientConfig version="1.1">
  <emailProvider id="{stack('DOMAIN')}">
    <domain>{stack('DOMAIN')}</domain>
    <displayName>{PROVIDER_NAME}</displayName>
    <displayShortName>Example</displayShortName>
    <incomingServer type="imap">
      <hostname>{host}</hostname>
      <port>{stack('IMAPS_PORT')}</port>
      <socketType>SSL</socketType>
      <authentication>password-cleartext</authentication>
      <username>%EMAILADDRESS%</username>
    </incomingServer>
    <incomingServer type="pop3">
      <hostname>{host}</hostname>
      <port>{stack('POP3S_PORT')}</port>
      <socketType>SSL</socketType>
      <authentication>password-cleartext</authentication>
      <username>%EMAILADDRESS%</username>
    </incomingServer>
    <outgoingServer type="smtp">
      <hostname>{host}</hostname>
      <port>{stack('SUBMISSIONS_PORT')}</port>
      <socketType>SSL</socketType>
      <authentication>password-cleartext</authentication>
      <username>%EMAILADDRESS%</username>
    </outgoingServer>
  </emailProvider>
</clientConfig>
'''.encode()


class _Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        # Provider lookups arrive as /<host>/<path>: only autoconfig.<domain> answers.
        wanted = '/autoconfig.' + stack('DOMAIN') + '/mail/config-v1.1.xml'
        if self.path.split('?')[0] == wanted:
            body = config_xml()
            self.send_response(200)
            self.send_header('Content-Type', 'application/xml')
        else:
            body = b'not here'
            self.send_response(404)
            self.send_header('Content-Type', 'text/plain')
        self.send_header('Content-Length', str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


class AutoconfigServer:
    """The provider's autoconfig web server, on 127.0.0.1 with the stack's certificate."""

    def __init__(self):
        self.httpd = http.server.ThreadingHTTPServer(('127.0.0.1', 0), _Handler)
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        certs = os.path.join(stack('DIR'), 'certs')
        context.load_cert_chain(os.path.join(certs, 'server.crt'),
                                os.path.join(certs, 'server.key'))
        self.httpd.socket = context.wrap_socket(self.httpd.socket, server_side=True)
        self.url = f'https://{stack("TLS_NAME")}:{self.httpd.server_address[1]}/'
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def stop(self):
        self.httpd.shutdown()
        self.httpd.server_close()


class Profile:
    """Fresh config and data directories for one run of the app."""

    def __init__(self):
        self.root = tempfile.mkdtemp(prefix='mail-wizard-')
        self.config = os.path.join(self.root, 'config')
        self.data = os.path.join(self.root, 'data')
        os.makedirs(self.config)
        os.makedirs(self.data)

    def files(self):
        for top in (self.config, self.data):
            for dirpath, _dirs, names in os.walk(top):
                for name in names:
                    yield os.path.join(dirpath, name)

    def contains(self, secret):
        needle = secret.encode()
        return [path for path in self.files() if needle in open(path, 'rb').read()]

    def remove(self):
        shutil.rmtree(self.root, ignore_errors=True)


def start_app(profile, autoconfig=None, dark=False):
    env = {
        'XDG_CONFIG_HOME': profile.config,
        'XDG_DATA_HOME': profile.data,
    }
    if autoconfig is not None:
        env['MAIL_AUTOCONFIG_PROVIDER_URL'] = autoconfig.url
        env['MAIL_AUTOCONFIG_CA_FILE'] = stack('CA')
    if dark:
        env['ADW_DEBUG_COLOR_SCHEME'] = 'prefer-dark'
    # Under load a freshly started Xvfb sometimes refuses the very first client; retry.
    for attempt in range(3):
        app = uitest.App(env=env)
        try:
            app.wait_ready()
            return app
        except RuntimeError:
            if attempt == 2:
                raise
            time.sleep(1)
    return None


def wait_for(predicate, timeout=20):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.2)
    return predicate()


def has_state(node, state):
    try:
        return node.get_state_set().contains(state)
    except Exception:
        return False


def sensitive(node):
    return node is not None and has_state(node, Atspi.StateType.SENSITIVE)


def checked(node):
    return node is not None and has_state(node, Atspi.StateType.CHECKED)


def page(app, title, timeout=10):
    """The wizard page with that title (pages are panels named after their title)."""
    return app.find('panel', title, timeout=timeout)


def find_in(app, root, role, name, timeout=10):
    return app.find(role, name, timeout=timeout, root=root)


def find_label_containing(app, text, root=None, timeout=20):
    def look():
        for node in uitest.find_all(root or app.root, role='label'):
            try:
                if text in (node.get_name() or ''):
                    return node
                # A label whose text changed may still have its old name in AT-SPI's
                # cache; its text is asked for live.
                text_iface = node.get_text_iface()
                if text_iface is not None and text in text_iface.get_text(0, -1):
                    return node
            except Exception:
                continue
        return None
    return wait_for(look, timeout)


def press(node):
    """Clicks a widget: its AT-SPI action if it has one, else the mouse on its middle
    (GTK 4.8 exposes no action for check buttons)."""
    action = node.get_action_iface()
    if action is not None and action.get_n_actions() > 0:
        return action.do_action(0)
    box = node.get_component_iface().get_extents(Atspi.CoordType.WINDOW)
    subprocess.run(['xdotool', 'mousemove', str(box.x + box.width // 2),
                    str(box.y + box.height // 2), 'click', '1'], check=True)
    return True


def response_button(app, label, timeout=30):
    """A response button of an AdwMessageDialog. libadwaita 1.2 gives these an explicit
    accessible label on top of their text, which GTK 4.8 doubles ("Trust Trust")."""
    def look():
        for name in (label, f'{label} {label}'):
            found = app.find('push button', name, timeout=0)
            if found is not None:
                return found
        return None
    return wait_for(look, timeout)


def focused_within(node):
    return has_state(node, Atspi.StateType.FOCUSED) or any(
        has_state(n, Atspi.StateType.FOCUSED) for n in uitest.find_all(node))


def tab_to(node, limit=40):
    """Moves the keyboard focus with Tab until it reaches node (keyboard reachability)."""
    for _ in range(limit):
        if focused_within(node):
            return True
        uitest.press_keys('Tab')
        time.sleep(0.15)
    return focused_within(node)


def scroll(up, x=300, y=400, clicks=15):
    """Scrolls the page under the pointer to one end (the mouse wheel, as a person would)."""
    subprocess.run(['xdotool', 'mousemove', str(x), str(y)], check=True)
    for _ in range(clicks):
        subprocess.run(['xdotool', 'click', '4' if up else '5'], check=True)
    time.sleep(0.5)


def open_wizard(app):
    button = app.find('push button', 'Add Account')
    uitest.click(button)
    return app.find('push button', 'Next', timeout=10)


def fill_identity(name, email, password):
    """Types into the first page as a person would: the name field has the focus."""
    time.sleep(0.5)
    uitest.type_text(name)
    uitest.press_keys('Tab')
    uitest.type_text(email)
    uitest.press_keys('Tab')
    uitest.type_text(password)


def next_button(app):
    return app.find('push button', 'Next', timeout=2) or app.find('push button', 'Add', timeout=2)


def keyring_lookup(**attributes):
    args = ['secret-tool', 'lookup']
    for key, value in attributes.items():
        args += [key.replace('_', '-'), value]
    out = subprocess.run(args, capture_output=True, text=True)
    return out.stdout if out.returncode == 0 else None


def shot(name, dark=False):
    time.sleep(0.6)
    return uitest.take_screenshot(f'{name}-{"dark" if dark else "light"}.png')
