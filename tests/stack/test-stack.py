#!/usr/bin/env python3
# test-stack.py: checks the local mail test stack (build-aux/mail-stack) end to end with the
# Python standard library only: submission over STARTTLS and implicit TLS with AUTH, delivery
# through Postfix and LMTP, reading back over IMAPS, IMAP STARTTLS, POP3S and POP3 STLS with
# certificate verification, refusals (no AUTH before TLS, wrong password, untrusted
# certificate, relaying), and the seeding tool. Reads MAIL_STACK_* from the environment
# (set -a; . DIR/stack.env) and prints TAP.
#
# Copyright 2026 The Example Mail authors
# SPDX-License-Identifier: GPL-3.0-or-later

import base64
import email
import email.policy
import imaplib
import os
import poplib
import re
import smtplib
import socket
import ssl
import subprocess
import sys
import time
import traceback
from email.message import EmailMessage

HERE = os.path.dirname(os.path.abspath(__file__))
SEED_TOOL = os.path.join(HERE, '..', 'tools', 'mail-seed')
DELIVERY_TIMEOUT = 30.0

REQUIRED = [
    'MAIL_STACK_DIR', 'MAIL_STACK_HOST', 'MAIL_STACK_CA', 'MAIL_STACK_OTHER_CERT',
    'MAIL_STACK_OTHER_KEY', 'MAIL_STACK_IMAP_PORT', 'MAIL_STACK_IMAPS_PORT',
    'MAIL_STACK_POP3_PORT', 'MAIL_STACK_POP3S_PORT', 'MAIL_STACK_LMTP_PORT',
    'MAIL_STACK_SMTP_PORT', 'MAIL_STACK_SUBMISSION_PORT', 'MAIL_STACK_SUBMISSIONS_PORT',
    'MAIL_STACK_DOMAIN', 'MAIL_STACK_ALICE', 'MAIL_STACK_ALICE_PASSWORD', 'MAIL_STACK_BOB',
    'MAIL_STACK_BOB_PASSWORD', 'MAIL_STACK_CAROL', 'MAIL_STACK_CAROL_PASSWORD',
    'MAIL_STACK_MAILDIR_ROOT', 'MAIL_STACK_MECHANISMS',
]

IMAP_CAPABILITIES = ['IMAP4REV1', 'IDLE', 'MOVE', 'UIDPLUS', 'LITERAL+', 'SPECIAL-USE',
                     'LIST-STATUS', 'ENABLE', 'ID', 'NAMESPACE', 'CONDSTORE', 'QRESYNC',
                     'STARTTLS']


class Tap:
    def __init__(self):
        self.n = 0
        self.failed = 0

    def ok(self, cond, name, diag=None):
        self.n += 1
        print(f'{"ok" if cond else "not ok"} {self.n} - {name}', flush=True)
        if not cond:
            self.failed += 1
            if diag:
                self.diag(diag)
        return cond

    def skip(self, name, why):
        self.n += 1
        print(f'ok {self.n} - {name} # SKIP {why}', flush=True)

    def diag(self, text):
        for line in str(text).rstrip().split('\n'):
            print(f'# {line}', flush=True)

    def run(self, name, fn):
        """Run fn(); it passes if it returns None/True, fails on False or an exception."""
        try:
            result = fn()
        except Exception:
            return self.ok(False, name, traceback.format_exc())
        if isinstance(result, tuple):
            cond, diag = result
            return self.ok(cond, name, diag)
        return self.ok(result is None or bool(result), name)

    def finish(self):
        print(f'1..{self.n}', flush=True)
        return 1 if self.failed else 0


E = os.environ
t = Tap()


def env(key):
    return E[key]


def host():
    return env('MAIL_STACK_HOST')


def port(name):
    return int(env(f'MAIL_STACK_{name}_PORT'))


def ctx_ca():
    ctx = ssl.create_default_context(cafile=env('MAIL_STACK_CA'))
    assert ctx.check_hostname and ctx.verify_mode == ssl.CERT_REQUIRED
    return ctx


def ctx_other():
    """Trusts only the stack's second, independent self-signed certificate."""
    return ssl.create_default_context(cafile=env('MAIL_STACK_OTHER_CERT'))


def user(name):
    return env(f'MAIL_STACK_{name.upper()}'), env(f'MAIL_STACK_{name.upper()}_PASSWORD')


def imaps(name=None):
    imap = imaplib.IMAP4_SSL(host(), port('IMAPS'), ssl_context=ctx_ca(), timeout=20)
    if name:
        imap.login(*user(name))
    return imap


def expect_verify_failure(connect):
    try:
        connect()
    except ssl.SSLCertVerificationError as e:
        return True, str(e)
    except ssl.SSLError as e:
        return False, f'SSL error but not a verification failure: {e!r}'
    return False, 'connection was accepted'


def unique(tag):
    return f'{tag}-{os.getpid()}-{int(time.time() * 1000)}'


def make_message(sender, rcpt, subject, body, msgid):
    msg = EmailMessage()
    msg['From'] = sender
    msg['To'] = rcpt
    msg['Subject'] = subject
    msg['Message-ID'] = f'<{msgid}>'
    msg['Date'] = email.utils.formatdate(localtime=False)
    msg.set_content(body, charset='utf-8', cte='quoted-printable')
    return msg


def body_of(raw):
    """The bytes after the header/body separator, with CRLF normalised to LF."""
    raw = raw.replace(b'\r\n', b'\n')
    return raw.split(b'\n\n', 1)[1]


def wait_imap_message(name, msgid, mailbox='INBOX'):
    deadline = time.monotonic() + DELIVERY_TIMEOUT
    imap = imaps(name)
    try:
        while True:
            imap.select(mailbox, readonly=True)
            typ, data = imap.uid('SEARCH', 'HEADER', 'Message-ID', msgid)
            uids = data[0].split() if typ == 'OK' and data and data[0] else []
            if uids:
                typ, data = imap.uid('FETCH', uids[-1], '(BODY.PEEK[] RFC822.SIZE)')
                return data[0][1]
            if time.monotonic() > deadline:
                raise AssertionError(f'{msgid} not delivered to {name}/{mailbox} in time')
            time.sleep(0.25)
    finally:
        imap.logout()


def compare(raw, sent, subject):
    got = email.message_from_bytes(raw.replace(b'\r\n', b'\n'), policy=email.policy.default)
    if str(got['Subject']) != subject:
        return False, f'subject {str(got["Subject"])!r} != {subject!r}'
    want_body = body_of(sent.as_bytes())
    got_body = body_of(raw)
    if got_body != want_body:
        return False, f'body differs:\n{got_body[:300]!r}\n{want_body[:300]!r}'
    if got.get_content().rstrip('\n') != sent.get_content().rstrip('\n'):
        return False, 'decoded text differs'
    return True, None


def bind_to(addr):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.settimeout(10)
    s.bind((addr, 0))
    return s


# ---------------------------------------------------------------------------------------------


def main():
    if not E.get('MAIL_STACK_DIR'):
        if E.get('MAIL_TEST_REQUIRE_STACK') == '1':
            print('1..1')
            print('not ok 1 - mail stack available (MAIL_TEST_REQUIRE_STACK=1 but '
                  'MAIL_STACK_DIR is unset; run build-aux/mail-stack start DIR and source '
                  'DIR/stack.env)')
            return 1
        print('1..0 # SKIP no mail stack')
        return 0

    missing = [k for k in REQUIRED if not E.get(k)]
    if not t.ok(not missing, 'stack.env provides every MAIL_STACK_* key', f'missing: {missing}'):
        return t.finish()

    alice, alice_pw = user('alice')
    bob, bob_pw = user('bob')
    carol, carol_pw = user('carol')
    domain = env('MAIL_STACK_DOMAIN')
    mechs = env('MAIL_STACK_MECHANISMS').split()
    t.diag(f'SASL mechanisms: IMAP {mechs}; POP3 {E.get("MAIL_STACK_POP3_MECHANISMS")}; '
           f'SMTP {E.get("MAIL_STACK_SMTP_MECHANISMS")}; APOP {E.get("MAIL_STACK_POP3_APOP")}')

    # -- TLS and certificates -------------------------------------------------------------

    def verify_localhost():
        with socket.create_connection((host(), port('IMAPS')), timeout=10) as s:
            with ctx_ca().wrap_socket(s, server_hostname='localhost') as tls:
                cert = tls.getpeercert()
                return ('DNS', 'localhost') in cert.get('subjectAltName', ())
    t.run('IMAPS certificate verifies against the stack CA for "localhost"', verify_localhost)

    def verify_ip():
        imap = imaplib.IMAP4_SSL(host(), port('IMAPS'), ssl_context=ctx_ca(), timeout=10)
        imap.logout()
    t.run('IMAPS certificate verifies against the stack CA for IP 127.0.0.1', verify_ip)

    def wrong_name():
        def connect():
            with socket.create_connection((host(), port('IMAPS')), timeout=10) as s:
                ctx_ca().wrap_socket(s, server_hostname='mail.invalid').close()
        return expect_verify_failure(connect)
    t.run('a wrong host name fails verification', wrong_name)

    for label, connect in [
        ('IMAPS', lambda: imaplib.IMAP4_SSL(host(), port('IMAPS'), ssl_context=ctx_other(),
                                            timeout=10)),
        ('POP3S', lambda: poplib.POP3_SSL(host(), port('POP3S'), context=ctx_other(),
                                          timeout=10)),
        ('submissions', lambda: smtplib.SMTP_SSL(host(), port('SUBMISSIONS'),
                                                 context=ctx_other(), timeout=10)),
        ('submission STARTTLS', lambda: smtplib.SMTP(host(), port('SUBMISSION'),
                                                     timeout=10).starttls(context=ctx_other())),
        ('IMAP STARTTLS', lambda: imaplib.IMAP4(host(), port('IMAP'),
                                                timeout=10).starttls(ssl_context=ctx_other())),
    ]:
        t.run(f'{label}: trusting only the other self-signed certificate fails verification',
              lambda c=connect: expect_verify_failure(c))

    # -- IMAP capabilities and folders ----------------------------------------------------

    def capabilities():
        imap = imaplib.IMAP4(host(), port('IMAP'), timeout=10)
        pre = set(imap.capabilities)
        imap.starttls(ssl_context=ctx_ca())
        imap.login(alice, alice_pw)
        typ, data = imap.capability()
        caps = set(data[0].decode().upper().split()) | pre
        imap.logout()
        missing = [c for c in IMAP_CAPABILITIES if c not in caps]
        return not missing, f'missing {missing} in {sorted(caps)}'
    t.run('IMAP advertises IDLE MOVE UIDPLUS LITERAL+ SPECIAL-USE LIST-STATUS ENABLE ID '
          'NAMESPACE CONDSTORE QRESYNC STARTTLS', capabilities)

    def special_use():
        imap = imaps('alice')
        typ, data = imap.list()
        imap.logout()
        text = b'\n'.join(d for d in data if isinstance(d, bytes)).decode()
        want = {'\\Drafts': 'Drafts', '\\Sent': 'Sent', '\\Trash': 'Trash',
                '\\Junk': 'Junk', '\\Archive': 'Archive'}
        bad = [f for f, name in want.items()
               if not re.search(re.escape(f) + r'\b[^)]*\) "/" "?' + name, text)]
        return not bad, f'missing {bad} in:\n{text}'
    t.run('special-use mailboxes Drafts Sent Trash Junk Archive exist with their flags',
          special_use)

    # -- submission refusals ----------------------------------------------------------------

    def submission_plain_no_auth():
        s = smtplib.SMTP(host(), port('SUBMISSION'), timeout=10)
        s.ehlo('client.example.test')
        offered = s.has_extn('auth')
        code, resp = s.docmd('AUTH', 'PLAIN ' + base64.b64encode(
            f'\0{alice}\0{alice_pw}'.encode()).decode())
        code2, resp2 = s.docmd('MAIL', f'FROM:<{alice}>')
        s.close()
        ok = not offered and 500 <= code < 600 and 500 <= code2 < 600
        return ok, f'AUTH offered={offered}; AUTH -> {code} {resp}; MAIL -> {code2} {resp2}'
    t.run('submission without TLS: AUTH not offered and refused, MAIL refused',
          submission_plain_no_auth)

    def submission_wrong_password():
        s = smtplib.SMTP(host(), port('SUBMISSION'), timeout=20)
        s.starttls(context=ctx_ca())
        try:
            s.login(alice, 'wrong-password')
        except smtplib.SMTPAuthenticationError as e:
            return e.smtp_code == 535, repr(e)
        finally:
            s.close()
        return False, 'login with a wrong password succeeded'
    t.run('submission: wrong password is refused (535)', submission_wrong_password)

    def submission_no_auth_no_relay():
        s = smtplib.SMTP(host(), port('SUBMISSION'), timeout=10)
        s.starttls(context=ctx_ca())
        s.ehlo('client.example.test')
        code, resp = s.mail(alice)
        code2, resp2 = s.rcpt(bob)
        s.close()
        return code2 >= 500, f'MAIL {code} {resp}; RCPT {code2} {resp2}'
    t.run('submission over TLS without AUTH cannot submit, even to the local domain',
          submission_no_auth_no_relay)

    # -- sending ----------------------------------------------------------------------------

    sent = {}

    def send_starttls():
        msgid = unique('starttls') + '@' + domain
        subject = 'Grüße über STARTTLS ✓ ' + msgid.split('@')[0]
        body = 'Hallo Bob,\n\nüber 587 mit STARTTLS gesendet — “quotes” and émojis 🎉.\n'
        msg = make_message(alice, bob, subject, body, msgid)
        s = smtplib.SMTP(host(), port('SUBMISSION'), timeout=20)
        s.starttls(context=ctx_ca())
        s.login(alice, alice_pw)
        s.send_message(msg)
        s.quit()
        sent['starttls'] = (msg, subject, msgid)
    t.run('submission 587: STARTTLS (verified) + AUTH, message accepted', send_starttls)

    def send_implicit():
        msgid = unique('implicit') + '@' + domain
        subject = 'Implicit TLS on 465 ' + msgid.split('@')[0]
        body = 'Hi Alice,\n\nsent over implicit TLS.\n.\n.leading dot line\n'
        msg = make_message(bob, alice, subject, body, msgid)
        s = smtplib.SMTP_SSL(host(), port('SUBMISSIONS'), context=ctx_ca(), timeout=20)
        s.ehlo('client.example.test')
        if 'LOGIN' in s.esmtp_features.get('auth', '').upper().split():
            s.user, s.password = bob, bob_pw
            code, resp = s.auth('LOGIN', s.auth_login, initial_response_ok=False)
        else:
            code, resp = s.login(bob, bob_pw)
        s.send_message(msg)
        s.quit()
        sent['implicit'] = (msg, subject, msgid)
        return code == 235, f'AUTH LOGIN -> {code} {resp}'
    t.run('submissions 465: implicit TLS (verified) + AUTH LOGIN, message accepted',
          send_implicit)

    def inbound_port25():
        msgid = unique('inbound') + '@' + domain
        subject = 'Inbound on the port-25 role ' + msgid.split('@')[0]
        msg = make_message('someone@elsewhere.example', carol, subject, 'Plain inbound.\n',
                           msgid)
        s = smtplib.SMTP(host(), port('SMTP'), timeout=20)
        s.ehlo('mx.elsewhere.example')
        auth = s.has_extn('auth')
        s.send_message(msg)
        code, resp = s.mail('someone@elsewhere.example')
        relay, relay_resp = s.rcpt('victim@outside.example')
        s.rset()
        s.mail('someone@elsewhere.example')
        unknown, unknown_resp = s.rcpt('nobody@' + domain)
        s.quit()
        sent['inbound'] = (msg, subject, msgid)
        ok = not auth and relay >= 500 and unknown >= 500
        return ok, (f'AUTH offered={auth}; relay -> {relay} {relay_resp}; '
                    f'unknown user -> {unknown} {unknown_resp}')
    t.run('SMTP port-25 role: accepts for the domain without AUTH, refuses relaying and '
          'unknown users', inbound_port25)

    # -- reading back -----------------------------------------------------------------------

    def read_imaps():
        msg, subject, msgid = sent['starttls']
        return compare(wait_imap_message('bob', msgid), msg, subject)
    t.run('IMAPS (verified): bob receives the STARTTLS message, subject and body identical',
          read_imaps)

    def read_imaps_implicit():
        msg, subject, msgid = sent['implicit']
        return compare(wait_imap_message('alice', msgid), msg, subject)
    t.run('IMAPS (verified): alice receives the implicit-TLS message, identical',
          read_imaps_implicit)

    def pop3_find(pop, msgid):
        count, _ = pop.stat()
        for i in range(count, 0, -1):
            head = b'\n'.join(pop.top(i, 0)[1])
            if msgid.encode() in head:
                return b'\r\n'.join(pop.retr(i)[1]) + b'\r\n'
        raise AssertionError(f'{msgid} not found over POP3')

    def read_pop3s():
        msg, subject, msgid = sent['implicit']
        pop = poplib.POP3_SSL(host(), port('POP3S'), context=ctx_ca(), timeout=20)
        pop.user(alice)
        pop.pass_(alice_pw)
        raw = pop3_find(pop, msgid)
        pop.quit()
        return compare(raw, msg, subject)
    t.run('POP3S (verified): alice retrieves the implicit-TLS message, identical', read_pop3s)

    def read_pop3_stls():
        msg, subject, msgid = sent['starttls']
        pop = poplib.POP3(host(), port('POP3'), timeout=20)
        pop.stls(context=ctx_ca())
        pop.user(bob)
        pop.pass_(bob_pw)
        raw = pop3_find(pop, msgid)
        pop.quit()
        return compare(raw, msg, subject)
    t.run('POP3 STLS (verified): bob retrieves the STARTTLS message, identical', read_pop3_stls)

    def read_imap_starttls():
        msg, subject, msgid = sent['inbound']
        wait_imap_message('carol', msgid)
        imap = imaplib.IMAP4(host(), port('IMAP'), timeout=20)
        imap.starttls(ssl_context=ctx_ca())
        imap.login(carol, carol_pw)
        imap.select('INBOX', readonly=True)
        typ, data = imap.uid('SEARCH', 'HEADER', 'Message-ID', msgid)
        uid = data[0].split()[-1]
        typ, data = imap.uid('FETCH', uid, '(BODY.PEEK[])')
        imap.logout()
        return compare(data[0][1], msg, subject)
    t.run('IMAP STARTTLS (verified): carol receives the port-25 message, identical',
          read_imap_starttls)

    # -- authentication ---------------------------------------------------------------------

    def imap_wrong_password():
        imap = imaps()
        try:
            imap.login(alice, 'wrong-password')
        except imaplib.IMAP4.error as e:
            return True, str(e)
        finally:
            try:
                imap.logout()
            except Exception:
                pass
        return False, 'login succeeded'
    t.run('IMAPS: wrong password is refused', imap_wrong_password)

    def pop3_wrong_password():
        pop = poplib.POP3_SSL(host(), port('POP3S'), context=ctx_ca(), timeout=20)
        try:
            pop.user(bob)
            pop.pass_('wrong-password')
        except poplib.error_proto as e:
            return True, str(e)
        finally:
            pop.close()
        return False, 'login succeeded'
    t.run('POP3S: wrong password is refused', pop3_wrong_password)

    def imap_cram_md5():
        if 'CRAM-MD5' not in mechs:
            return False, f'CRAM-MD5 not in {mechs}'
        imap = imaps()
        typ, _ = imap.login_cram_md5(carol, carol_pw)
        imap.logout()
        return typ == 'OK', typ
    t.run('IMAPS: AUTHENTICATE CRAM-MD5 works', imap_cram_md5)

    def pop3_apop():
        if E.get('MAIL_STACK_POP3_APOP') != '1':
            return False, 'stack.env says APOP is not offered'
        pop = poplib.POP3_SSL(host(), port('POP3S'), context=ctx_ca(), timeout=20)
        resp = pop.apop(alice, alice_pw)
        pop.quit()
        return resp.startswith(b'+OK'), resp
    t.run('POP3S: APOP works', pop3_apop)

    def expected_mechs():
        want = {'PLAIN', 'LOGIN', 'CRAM-MD5', 'DIGEST-MD5', 'SCRAM-SHA-1', 'SCRAM-SHA-256'}
        return want <= set(mechs), f'{mechs}'
    t.run('Dovecot offers PLAIN LOGIN CRAM-MD5 DIGEST-MD5 SCRAM-SHA-1 SCRAM-SHA-256',
          expected_mechs)

    # -- plaintext on loopback ------------------------------------------------------------
    # Dovecot treats a connection whose client IP equals the local IP as secure, so plaintext
    # LOGIN works from 127.0.0.1 despite disable_plaintext_auth = yes. From another loopback
    # address the rule applies. Client tests must not rely on the server refusing plaintext.

    def imap_plain_from(addr):
        s = bind_to(addr)
        s.connect((host(), port('IMAP')))
        f = s.makefile('rwb')
        f.readline()
        f.write(b'a CAPABILITY\r\n')
        f.flush()
        caps = f.readline().decode()
        f.readline()
        f.write(f'b LOGIN {alice} {alice_pw}\r\n'.encode())
        f.flush()
        login = ''
        while not login.startswith('b '):  # skip untagged responses
            line = f.readline().decode()
            if not line:
                break
            login = line if line.startswith('b ') else login
        f.write(b'c LOGOUT\r\n')
        f.flush()
        s.close()
        return caps, login

    def loopback_same_ip():
        caps, login = imap_plain_from(host())
        ok = 'LOGINDISABLED' not in caps and login.startswith('b OK')
        return ok, f'{caps.strip()} / {login.strip()}'
    t.run('documented: plaintext IMAP LOGIN from 127.0.0.1 to 127.0.0.1 is allowed '
          '(Dovecot counts client IP == server IP as secure)', loopback_same_ip)

    try:
        bind_to('127.0.0.2').close()
        other_loopback = True
    except OSError:
        other_loopback = False

    def loopback_other_ip():
        caps, login = imap_plain_from('127.0.0.2')
        ok = 'LOGINDISABLED' in caps and 'AUTH=PLAIN' not in caps and login.startswith('b NO')
        return ok, f'{caps.strip()} / {login.strip()}'

    def pop3_other_ip():
        s = bind_to('127.0.0.2')
        s.connect((host(), port('POP3')))
        f = s.makefile('rwb')
        f.readline()
        f.write(f'USER {alice}\r\n'.encode())
        f.flush()
        reply = f.readline().decode()
        f.write(f'PASS {alice_pw}\r\n'.encode())
        f.flush()
        reply2 = f.readline().decode()
        s.close()
        return reply.startswith('-ERR') or reply2.startswith('-ERR'), f'{reply} / {reply2}'

    if other_loopback:
        t.run('IMAP from 127.0.0.2 without TLS: LOGINDISABLED, no AUTH=PLAIN, LOGIN refused',
              loopback_other_ip)
        t.run('POP3 from 127.0.0.2 without TLS: USER/PASS refused', pop3_other_ip)
    else:
        t.skip('IMAP from 127.0.0.2 without TLS refuses LOGIN', 'cannot bind 127.0.0.2')
        t.skip('POP3 from 127.0.0.2 without TLS refuses USER/PASS', 'cannot bind 127.0.0.2')

    # -- big message ------------------------------------------------------------------------

    def big_message():
        msgid = unique('big') + '@' + domain
        msg = EmailMessage()
        msg['From'] = alice
        msg['To'] = carol
        msg['Subject'] = 'Twenty megabytes'
        msg['Message-ID'] = f'<{msgid}>'
        msg.set_content('A big attachment follows.\n')
        msg.add_attachment(os.urandom(15 * 1024 * 1024), maintype='application',
                           subtype='octet-stream', filename='big.bin')
        raw = msg.as_bytes(policy=msg.policy.clone(linesep='\r\n'))
        s = smtplib.SMTP_SSL(host(), port('SUBMISSIONS'), context=ctx_ca(), timeout=120)
        s.login(alice, alice_pw)
        s.sendmail(alice, [carol], raw)
        s.quit()
        got = wait_imap_message('carol', msgid)
        ok = len(got) >= len(raw) and body_of(got) == body_of(raw)
        return ok, f'sent {len(raw)} bytes, got {len(got)}'
    t.run('a 20 MB message goes through submission, Postfix and LMTP intact', big_message)

    # -- seeding tool -----------------------------------------------------------------------

    stack = env('MAIL_STACK_DIR')
    folder_a = unique('SeedA')
    folder_b = unique('SeedB')
    folder_l = unique('SeedL')

    def seed(*args):
        r = subprocess.run([sys.executable, SEED_TOOL, '--stack', stack, *args],
                           capture_output=True, text=True, timeout=240)
        if r.returncode != 0:
            raise AssertionError(f'mail-seed {args} failed:\n{r.stdout}{r.stderr}')
        return r.stdout

    def select_count(name, mailbox):
        imap = imaps(name)
        typ, data = imap.select(f'"{mailbox}"', readonly=True)
        imap.logout()
        return int(data[0]) if typ == 'OK' else -1

    def fetch_all(name, mailbox):
        imap = imaps(name)
        imap.select(f'"{mailbox}"', readonly=True)
        typ, data = imap.fetch('1:*', '(FLAGS INTERNALDATE BODY.PEEK[])')
        imap.logout()
        return [d for d in data if isinstance(d, tuple)]

    def seed_maildir():
        out = seed('--user', carol, '--folder', folder_a, '--count', '50', '--seed', '42')
        t.diag(out.strip())
        n = select_count('carol', folder_a)
        return n == 50, f'SELECT {folder_a}: {n} messages'
    t.run('mail-seed --count 50 (maildir): IMAP SELECT sees 50 messages', seed_maildir)

    def seed_deterministic():
        seed('--user', carol, '--folder', folder_b, '--count', '50', '--seed', '42', '-q')
        a = fetch_all('carol', folder_a)
        b = fetch_all('carol', folder_b)
        if len(a) != 50 or len(b) != 50:
            return False, f'{len(a)} / {len(b)} messages'
        diffs = [i for i, (x, y) in enumerate(zip(a, b)) if x[1] != y[1]]
        meta_a = [re.sub(rb'^\d+ ', b'', x[0]) for x in a]
        meta_b = [re.sub(rb'^\d+ ', b'', y[0]) for y in b]
        return not diffs and meta_a == meta_b, f'messages differ at {diffs[:5]}'
    t.run('mail-seed: the same seed gives byte-identical messages, flags and dates',
          seed_deterministic)

    def seed_realistic():
        msgs = [email.message_from_bytes(x[1], policy=email.policy.default)
                for x in fetch_all('carol', folder_a)]
        flags = [x[0] for x in fetch_all('carol', folder_a)]
        ids = {m['Message-ID'] for m in msgs}
        replies = [m for m in msgs if m['In-Reply-To'] in ids]
        encoded = [x for x in fetch_all('carol', folder_a) if b'=?' in x[1].split(b'\r\n\r\n')[0]]
        multipart = [m for m in msgs if m.is_multipart()]
        years = {email.utils.parsedate_to_datetime(m['Date']).year for m in msgs}
        seen = [f for f in flags if b'\\Seen' in f]
        problems = []
        if not replies:
            problems.append('no replies within the folder')
        if not encoded:
            problems.append('no RFC 2047 headers')
        if not multipart:
            problems.append('no multipart messages')
        if len(years) < 3:
            problems.append(f'dates span only {sorted(years)}')
        if not seen or len(seen) == len(flags):
            problems.append(f'{len(seen)} of {len(flags)} seen')
        return not problems, '; '.join(problems)
    t.run('mail-seed: threads, encoded words, multipart, dates over years, mixed flags',
          seed_realistic)

    def seed_lmtp():
        out = seed('--user', bob, '--folder', folder_l, '--count', '5', '--seed', '9',
                   '--mode', 'lmtp')
        t.diag(out.strip())
        data = fetch_all('bob', folder_l)
        seen = [x for x in data if b'\\Seen' in x[0]]
        return len(data) == 5 and len(seen) > 0, f'{len(data)} messages, {len(seen)} seen'
    t.run('mail-seed --mode lmtp delivers through LMTP and sets flags', seed_lmtp)

    def seed_specials():
        out = seed('--user', carol, '--folder', folder_a, '--html-remote', '--remote-port',
                   '31080', '--big-mb', '2', '-q')
        imap = imaps('carol')
        imap.select(f'"{folder_a}"', readonly=True)
        found = {}
        for kind in ('html-remote', 'big'):
            typ, data = imap.search(None, 'HEADER', 'X-Mail-Seed', kind)
            found[kind] = data[0].split()
        typ, data = imap.fetch(found['html-remote'][-1], '(BODY.PEEK[])')
        html = data[0][1].decode('ascii', 'replace')
        typ, size = imap.fetch(found['big'][-1], '(RFC822.SIZE)')
        imap.logout()
        big = int(re.search(rb'RFC822.SIZE (\d+)', size[0]).group(1))
        ok = ('127.0.0.1:31080' in html and '<script' in html and '<img' in html and
              big > 2 * 1024 * 1024)
        return ok, f'{out} big message {big} bytes'
    t.run('mail-seed --html-remote and --big-mb add their special messages', seed_specials)

    def cleanup():
        for name, folder in (('carol', folder_a), ('carol', folder_b), ('bob', folder_l)):
            imap = imaps(name)
            imap.delete(f'"{folder}"')
            imap.unsubscribe(f'"{folder}"')
            imap.logout()
    t.run('seeded test folders deleted again', cleanup)

    return t.finish()


if __name__ == '__main__':
    sys.exit(main())
