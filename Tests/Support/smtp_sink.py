#!/usr/bin/python3
"""A real SMTP server (Debian's python3-aiosmtpd) on 127.0.0.1 that keeps what it receives.

Each accepted message is written to DIR as NNNNNN.eml (the raw bytes) and NNNNNN.json (envelope,
decoded subject, Message-ID, text body, and each attachment's decoded file name, type, size and
SHA-256), both written under a temporary name and renamed. Parsing uses Python's email package, a
MIME implementation independent of the one under test.

  smtp_sink.py --dir DIR --port PORT [--auth USER:PASSWORD] [--defer N] [--reject ADDRESS]

--auth requires that login; --defer answers the first N messages with 451 (try again later);
--reject answers RCPT TO:<ADDRESS> with 550. Runs until killed; prints "ready" when listening.
"""
import argparse, logging, email, email.policy, hashlib, json, os, signal, threading, warnings

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


class Sink:
    def __init__(self, directory, defer, reject):
        self.directory, self.defer, self.reject = directory, defer, set(a.lower() for a in reject)
        self.count = len([n for n in os.listdir(directory) if n.endswith(".eml")])

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.lower() in self.reject:
            return "550 5.1.1 mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.defer > 0:
            self.defer -= 1
            return "451 4.3.0 try again later"
        self.count += 1
        base = os.path.join(self.directory, "%06d" % self.count)
        raw = envelope.original_content or envelope.content
        message = email.message_from_bytes(raw, policy=email.policy.default)
        attachments = []
        for part in message.iter_attachments():
            payload = part.get_payload(decode=True) or b""
            attachments.append({"filename": part.get_filename(), "content_type": part.get_content_type(),
                                "size": len(payload), "sha256": hashlib.sha256(payload).hexdigest()})
        body = message.get_body(preferencelist=("plain",))
        summary = {"mail_from": envelope.mail_from, "rcpt_tos": envelope.rcpt_tos,
                   "login": session.auth_data.login.decode() if isinstance(session.auth_data, LoginPassword) else None,
                   "subject": str(message["Subject"]), "raw_headers": raw.split(b"\r\n\r\n", 1)[0].decode("ascii", "replace"),
                   "message_id": str(message["Message-ID"]), "from": str(message["From"]), "to": str(message["To"]),
                   "date": str(message["Date"]), "text": body.get_content() if body else None,
                   "attachments": attachments}
        for suffix, data in ((".eml", raw), (".json", json.dumps(summary, ensure_ascii=False).encode())):
            with open(base + suffix + ".tmp", "wb") as f:
                f.write(data)
            os.rename(base + suffix + ".tmp", base + suffix)
        return "250 OK"


def main():
    warnings.simplefilter("ignore")  # AUTH without TLS is what a loopback test sink does
    logging.disable(logging.WARNING)
    parser = argparse.ArgumentParser()
    parser.add_argument("--dir", required=True)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--auth")
    parser.add_argument("--defer", type=int, default=0)
    parser.add_argument("--reject", action="append", default=[])
    args = parser.parse_args()
    os.makedirs(args.dir, exist_ok=True)
    options = {}
    if args.auth:
        user, password = args.auth.split(":", 1)

        def authenticator(server, session, envelope, mechanism, auth_data):
            ok = isinstance(auth_data, LoginPassword) and auth_data.login.decode() == user \
                and auth_data.password.decode() == password
            return AuthResult(success=True, auth_data=auth_data) if ok else AuthResult(success=False, handled=False)
        options = {"authenticator": authenticator, "auth_required": True, "auth_require_tls": False}
    controller = Controller(Sink(args.dir, args.defer, args.reject), hostname="127.0.0.1", port=args.port,
                            server_kwargs=options)
    controller.start()
    print("ready", flush=True)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    stop.wait()
    controller.stop()


if __name__ == "__main__":
    main()
