#!/usr/bin/python3
"""A fake SMTP server on 127.0.0.1 for the tests, speaking RFC 5321 as a
relay does: EHLO/HELO, AUTH PLAIN and LOGIN (user mahoraga, password
smtp-FAKE-secret), MAIL FROM, RCPT TO, DATA (dot-stuffed, ended by a lone
dot), RSET, NOOP, QUIT.

    fake_smtp.py DIR

Each message accepted is appended to DIR/mails.json as {"from", "to": [...],
"data"}; each command is a line of DIR/commands (AUTH lines without their
credentials). DIR/down: every connection answered 421 and closed.
"""
import base64
import json
import os
import socketserver
import sys

DIR = sys.argv[1]
USER, PASSWORD = "mahoraga", "smtp-FAKE-secret"


def note(line):
    with open(os.path.join(DIR, "commands"), "a") as f:
        f.write(line + "\n")


def keep(mail):
    path = os.path.join(DIR, "mails.json")
    mails = json.load(open(path)) if os.path.exists(path) else []
    mails.append(mail)
    with open(path + ".tmp", "w") as f:
        json.dump(mails, f, indent=1)
    os.rename(path + ".tmp", path)


class Handler(socketserver.StreamRequestHandler):
    def say(self, line):
        self.wfile.write((line + "\r\n").encode())
        self.wfile.flush()

    def line(self):
        raw = self.rfile.readline(4096)
        if not raw:
            raise EOFError
        return raw.decode("utf-8", "replace").rstrip("\r\n")

    def auth_ok(self, user, password):
        if user == USER and password == PASSWORD:
            self.authed = True
            self.say("235 2.7.0 Authentication successful")
        else:
            self.say("535 5.7.8 Authentication credentials invalid")

    def handle(self):
        if os.path.exists(os.path.join(DIR, "down")):
            note("connection refused: down")
            self.say("421 4.3.2 Service not available, closing transmission channel")
            return
        self.say("220 fake.smtp ESMTP ready")
        self.authed = False
        sender, rcpts = None, []
        try:
            while True:
                cmd = self.line()
                verb = cmd.split(" ", 1)[0].upper()
                note(cmd if verb != "AUTH" else "AUTH " + cmd.split(" ")[1])
                if verb in ("EHLO", "HELO"):
                    self.wfile.write(b"250-fake.smtp greets you\r\n250-8BITMIME\r\n250-AUTH PLAIN LOGIN\r\n250 SIZE 10485760\r\n")
                    self.wfile.flush()
                elif verb == "AUTH":
                    parts = cmd.split(" ")
                    if parts[1].upper() == "PLAIN":
                        blob = parts[2] if len(parts) > 2 else (self.say("334 ") or self.line())
                        _, user, password = base64.b64decode(blob).decode().split("\0")
                        self.auth_ok(user, password)
                    elif parts[1].upper() == "LOGIN":
                        if len(parts) > 2:
                            user = base64.b64decode(parts[2]).decode()
                        else:
                            self.say("334 VXNlcm5hbWU6")
                            user = base64.b64decode(self.line()).decode()
                        self.say("334 UGFzc3dvcmQ6")
                        self.auth_ok(user, base64.b64decode(self.line()).decode())
                    else:
                        self.say("504 5.5.4 Unrecognized authentication type")
                elif verb == "MAIL":
                    sender, rcpts = cmd[cmd.index(":") + 1:].strip().split(" ")[0].strip("<>"), []
                    self.say("250 2.1.0 Ok")
                elif verb == "RCPT":
                    to = cmd[cmd.index(":") + 1:].strip().strip("<>")
                    if "@" not in to or to.startswith("nobody@"):
                        self.say("550 5.1.1 <%s>: Recipient address rejected: User unknown" % to)
                    else:
                        rcpts.append(to)
                        self.say("250 2.1.5 Ok")
                elif verb == "DATA":
                    if not rcpts:
                        self.say("554 5.5.1 Error: no valid recipients")
                        continue
                    self.say("354 End data with <CR><LF>.<CR><LF>")
                    data = []
                    while True:
                        l = self.line()
                        if l == ".":
                            break
                        data.append(l[1:] if l.startswith(".") else l)
                    keep({"from": sender, "to": rcpts, "data": "\n".join(data)})
                    self.say("250 2.0.0 Ok: queued as %d" % os.getpid())
                elif verb == "RSET":
                    sender, rcpts = None, []
                    self.say("250 2.0.0 Ok")
                elif verb == "NOOP":
                    self.say("250 2.0.0 Ok")
                elif verb == "QUIT":
                    self.say("221 2.0.0 Bye")
                    return
                else:
                    self.say("502 5.5.2 Error: command not recognized")
        except (EOFError, ConnectionError):
            return


class Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True


server = Server(("127.0.0.1", 0), Handler)
with open(os.path.join(DIR, "port.tmp"), "w") as f:
    f.write(str(server.server_address[1]))
os.rename(os.path.join(DIR, "port.tmp"), os.path.join(DIR, "port"))
server.serve_forever()
