# uitest.py: drive the real example-mail binary through AT-SPI, as a person would.
#
# Copyright 2026 The Example Mail authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Runs inside `xvfb-run -a dbus-run-session` (see build-aux/dev test). Finds widgets by role and
# accessible name, clicks them with their AT-SPI action, types with synthesized key events, and
# takes screenshots of the X root window with ImageMagick's `import`.

import os
import signal
import subprocess
import sys
import time

import gi

gi.require_version('Atspi', '2.0')
from gi.repository import Atspi  # noqa: E402


class Tap:
    """Minimal TAP producer, so meson reads each check."""

    def __init__(self):
        self.count = 0
        self.failed = 0

    def ok(self, cond, what):
        self.count += 1
        if cond:
            print(f'ok {self.count} - {what}', flush=True)
        else:
            self.failed += 1
            print(f'not ok {self.count} - {what}', flush=True)
        return cond

    def finish(self):
        print(f'1..{self.count}', flush=True)
        sys.exit(1 if self.failed else 0)


def build_root():
    return os.environ.get('MAIL_BUILD_ROOT', os.getcwd())


def screenshot_dir():
    path = os.path.join(build_root(), 'screenshots')
    os.makedirs(path, exist_ok=True)
    return path


class App:
    """The app under test, started as its own process."""

    def __init__(self, args=(), env=None, name='example-mail'):
        self.name = name
        full_env = dict(os.environ)
        full_env.update({
            'GDK_BACKEND': 'x11',
            'GTK_A11Y': 'atspi',
            'GSETTINGS_BACKEND': os.environ.get('GSETTINGS_BACKEND', 'memory'),
        })
        full_env.pop('NO_AT_BRIDGE', None)
        if env:
            full_env.update(env)
        binary = os.path.join(build_root(), 'src', 'example-mail')
        self.proc = subprocess.Popen([binary, *args], env=full_env)
        self.root = None

    def wait_ready(self, timeout=30):
        """Waits until the app shows up on the accessibility bus with a window."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f'app exited early with status {self.proc.returncode}')
            desktop = Atspi.get_desktop(0)
            for i in range(desktop.get_child_count()):
                app = desktop.get_child_at_index(i)
                if app is None:
                    continue
                try:
                    if app.get_process_id() == self.proc.pid and app.get_child_count() > 0:
                        self.root = app
                        return app
                except gi.repository.GLib.Error:
                    continue
            time.sleep(0.2)
        raise TimeoutError('app did not appear on the accessibility bus')

    def find(self, role=None, name=None, timeout=10, root=None):
        """First accessible below root (default: the app) with the role name and accessible name."""
        deadline = time.monotonic() + timeout
        while True:
            found = find_all(root or self.root, role, name, limit=1)
            if found:
                return found[0]
            if time.monotonic() > deadline:
                return None
            time.sleep(0.2)

    def quit(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


def find_window(app, name, timeout=10):
    """A top-level window of the app by title. GTK 4.8 gives an AdwWindow the role "filler",
    a GtkApplicationWindow "frame", so the role is not checked."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            for i in range(app.root.get_child_count()):
                child = app.root.get_child_at_index(i)
                if child is not None and child.get_name() == name:
                    return child
        except gi.repository.GLib.Error:
            pass  # a window went away while we looked: look again
        if time.monotonic() > deadline:
            return None
        time.sleep(0.2)


def find_all(root, role=None, name=None, limit=None):
    """Breadth-first search with an explicit queue (no recursion on tree depth)."""
    result = []
    queue = [root]
    while queue:
        node = queue.pop(0)
        try:
            node_role = node.get_role_name()
            node_name = node.get_name()
            showing = node.get_state_set().contains(Atspi.StateType.VISIBLE)
        except gi.repository.GLib.Error:
            continue
        if ((role is None or node_role == role) and (name is None or node_name == name) and
                showing):
            result.append(node)
            if limit and len(result) >= limit:
                return result
        try:
            count = node.get_child_count()
        except gi.repository.GLib.Error:
            continue
        for i in range(count):
            # A window closing while we walk takes its nodes with it: skip them. A crashed app
            # still fails the caller, which then finds nothing.
            try:
                child = node.get_child_at_index(i)
            except gi.repository.GLib.Error:
                continue
            if child is not None:
                queue.append(child)
    return result


def click(node):
    """Activates a widget through its first AT-SPI action (a button's "click")."""
    action = node.get_action_iface()
    if action is None or action.get_n_actions() == 0:
        raise RuntimeError(f'{node.get_role_name()} "{node.get_name()}" has no action')
    return action.do_action(0)


def press_keys(combo):
    """Presses a key combination such as 'ctrl+comma' in the focused window (xdotool)."""
    subprocess.run(['xdotool', 'key', '--clearmodifiers', combo], check=True)


def type_text(text):
    """Types text into the focused widget, one synthesized key event per character."""
    subprocess.run(['xdotool', 'type', '--delay', '20', text], check=True)


def take_screenshot(name):
    path = os.path.join(screenshot_dir(), name)
    subprocess.run(['import', '-window', 'root', path], check=True)
    return path


def distinct_colors(path):
    out = subprocess.run(['identify', '-format', '%k', path], check=True,
                         capture_output=True, text=True).stdout
    return int(out.strip() or 0)
