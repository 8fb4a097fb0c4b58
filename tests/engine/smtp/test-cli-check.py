#!/usr/bin/env python3
# test-cli-check.py: end-to-end test of `example-mail-cli check` (exit codes and JSON keys).
#
# Copyright 2026 The Example Mail authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage: test-cli-check.py PATH-TO-example-mail-cli TESTS-DATA-DIR
# Prints TAP. Cases that need the local mail stack (MAIL_STACK_*) are skipped without it,
# or fail when MAIL_TEST_REQUIRE_STACK=1.

import json
import os
import subprocess
import sys

CLI = sys.argv[1]
DATA = sys.argv[2]
HAVE_STACK = 'MAIL_STACK_DIR' in os.environ
REQUIRE_STACK = os.environ.get('MAIL_TEST_REQUIRE_STACK') == '1'

results = []


def run(args, password=None, stdin=None):
    env = dict(os.environ)
    env.pop('MAIL_PASSWORD', None)
    if password is not None:
        env['MAIL_PASSWORD'] = password
    proc = subprocess.run([CLI, 'check'] + args, env=env, input=stdin, capture_output=True,
                          text=True, timeout=60)
    return proc


def case(name, needs_stack=False):
    def wrap(func):
        if needs_stack and not HAVE_STACK:
            if REQUIRE_STACK:
                results.append((False, name, 'MAIL_TEST_REQUIRE_STACK=1 but no stack'))
            else:
                results.append((True, name, 'SKIP no local mail stack'))
            return func
        try:
            func()
            results.append((True, name, None))
        except AssertionError as e:
            results.append((False, name, str(e)))
        return func
    return wrap


def expect(proc, code):
    assert proc.returncode == code, \
        f'exit {proc.returncode}, expected {code}; stderr: {proc.stderr!r}'
    if code != 0:
        lines = proc.stderr.strip().split('\n')
        assert len(lines) == 1 and lines[0], f'not one line on stderr: {proc.stderr!r}'


def stack(key):
    return os.environ['MAIL_STACK_' + key]


def server_args(protocol, port_key, security, ca=None):
    return ['--protocol', protocol, '--host', stack('TLS_NAME'), '--port', stack(port_key),
            '--security', security, '--user', stack('ALICE'),
            '--ca-file', ca if ca is not None else stack('CA')]


def fingerprint_hex(text):
    return text.replace(':', '').lower()


@case('usage: --host is required')
def _():
    expect(run(['--protocol', 'smtp', '--security', 'tls', '--user', 'u'], 'x'), 2)


@case('usage: unknown protocol')
def _():
    expect(run(['--protocol', 'nntp', '--host', 'h', '--security', 'tls', '--user', 'u'],
               'x'), 2)


@case('imap connection refused: exit 3')
def _():
    expect(run(['--protocol', 'imap', '--host', '127.0.0.1', '--port', '9', '--security',
                'tls', '--user', 'u'], 'x'), 3)


@case('imap STARTTLS: success, JSON report', needs_stack=True)
def _():
    proc = run(server_args('imap', 'IMAP_PORT', 'starttls') + ['--json'],
               stack('ALICE_PASSWORD'))
    expect(proc, 0)
    report = json.loads(proc.stdout)
    for key in ('protocol', 'host', 'port', 'security', 'capabilities', 'mechanism',
                'certificate', 'encrypted'):
        assert key in report, f'missing key {key}'
    assert report['protocol'] == 'imap'
    assert report['encrypted'] is True
    assert 'IMAP4REV1' in report['capabilities']
    # Post-TLS capabilities only.
    assert 'STARTTLS' not in report['capabilities']


@case('imap IMAPS wrong password: exit 6', needs_stack=True)
def _():
    expect(run(server_args('imap', 'IMAPS_PORT', 'tls'), 'wrong'), 6)


@case('plaintext without --allow-plaintext: exit 8, nothing sent')
def _():
    # Port 9 (discard) on loopback: the refusal must come before any connection attempt.
    proc = run(['--protocol', 'smtp', '--host', '127.0.0.1', '--port', '9', '--security',
                'none', '--user', 'u'], 'x')
    expect(proc, 8)


@case('connection refused: exit 3')
def _():
    expect(run(['--protocol', 'pop3', '--host', '127.0.0.1', '--port', '9', '--security',
                'tls', '--user', 'u'], 'x'), 3)


@case('smtp submission STARTTLS: success, JSON report', needs_stack=True)
def _():
    proc = run(server_args('smtp', 'SUBMISSION_PORT', 'starttls') + ['--json'],
               stack('ALICE_PASSWORD'))
    expect(proc, 0)
    report = json.loads(proc.stdout)
    for key in ('protocol', 'host', 'port', 'security', 'capabilities', 'mechanism',
                'certificate', 'encrypted'):
        assert key in report, f'missing key {key}'
    assert report['protocol'] == 'smtp'
    assert report['port'] == int(stack('SUBMISSION_PORT'))
    assert report['security'] == 'starttls'
    assert report['encrypted'] is True
    assert 'AUTH' in report['capabilities']
    # Post-TLS capabilities: STARTTLS is not offered again over TLS.
    assert 'STARTTLS' not in report['capabilities']
    assert report['mechanism']
    cert = report['certificate']
    assert fingerprint_hex(cert['sha256']) == stack('SERVER_CERT_SHA256').lower()
    assert cert['subject'] and cert['issuer']


@case('smtp submissions, password on stdin, --auth login', needs_stack=True)
def _():
    proc = run(server_args('smtp', 'SUBMISSIONS_PORT', 'tls') + ['--auth', 'login', '--json'],
               stdin=stack('ALICE_PASSWORD') + '\n')
    expect(proc, 0)
    assert json.loads(proc.stdout)['mechanism'] == 'LOGIN'


@case('pop3s: success, JSON report', needs_stack=True)
def _():
    proc = run(server_args('pop3', 'POP3S_PORT', 'tls') + ['--json'], stack('ALICE_PASSWORD'))
    expect(proc, 0)
    report = json.loads(proc.stdout)
    assert report['protocol'] == 'pop3' and report['encrypted'] is True
    assert 'USER' in report['capabilities'] or 'SASL' in report['capabilities']


@case('pop3 STLS with APOP', needs_stack=True)
def _():
    proc = run(server_args('pop3', 'POP3_PORT', 'starttls') + ['--auth', 'apop', '--json'],
               stack('ALICE_PASSWORD'))
    expect(proc, 0)
    assert json.loads(proc.stdout)['mechanism'] == 'APOP'


@case('smtp wrong password: exit 6', needs_stack=True)
def _():
    expect(run(server_args('smtp', 'SUBMISSION_PORT', 'starttls'), 'wrong-password'), 6)


@case('pop3 wrong password: exit 6', needs_stack=True)
def _():
    expect(run(server_args('pop3', 'POP3S_PORT', 'tls'), 'wrong-password'), 6)


@case('smtp wrong CA: exit 4', needs_stack=True)
def _():
    other_ca = os.path.join(DATA, 'certs', 'ca.pem')
    expect(run(server_args('smtp', 'SUBMISSIONS_PORT', 'tls', other_ca), 'x'), 4)


@case('pop3 STLS wrong CA: exit 4', needs_stack=True)
def _():
    other_ca = os.path.join(DATA, 'certs', 'ca.pem')
    expect(run(server_args('pop3', 'POP3_PORT', 'starttls', other_ca), 'x'), 4)


@case('implicit TLS on a plaintext port: exit 4', needs_stack=True)
def _():
    expect(run(server_args('smtp', 'SUBMISSION_PORT', 'tls'), stack('ALICE_PASSWORD')), 4)


print(f'1..{len(results)}')
for i, (ok, name, note) in enumerate(results, 1):
    if ok and note:
        print(f'ok {i} {name} # {note}')
    elif ok:
        print(f'ok {i} {name}')
    else:
        print(f'not ok {i} {name}')
        print(f'# {note}')
sys.exit(0 if all(ok for ok, _, _ in results) else 1)
