#!/usr/bin/python3
"""A fake OpenAI-compatible server on 127.0.0.1 for the tests: POST
/v1/chat/completions answered as OpenAI documents it
({"id", "object": "chat.completion", "model", "choices": [{"index": 0,
"message": {"role": "assistant", "content"}, "finish_reason": "stop"}],
"usage"}).

    fake_llm.py DIR

The message's content is DIR/answer (as written: the tests put JSON there,
or not). DIR/mode changes the behaviour: "500" (an internal error), "slow"
(answers after 5 s), "huge" (a 20 MB body), "no_schema" (a 400 naming
response_format when it is asked for, as servers without structured outputs
do), "cut" (finish_reason "length"). Each request body is a line of
DIR/requests.jsonl, with "auth": whether the bearer token was right.
"""
import http.server
import json
import os
import sys
import time

DIR = sys.argv[1]
KEY = "sk-FAKE-llm-key"


def read(name, default=""):
    p = os.path.join(DIR, name)
    return open(p).read().strip() if os.path.exists(p) else default


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def answer(self, status, body):
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        try:
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        req = json.loads(body)
        req["auth"] = self.headers.get("Authorization") == "Bearer " + KEY
        with open(os.path.join(DIR, "requests.jsonl"), "a") as f:
            f.write(json.dumps(req) + "\n")
        if self.path != "/v1/chat/completions":
            return self.answer(404, {"error": {"message": "not found", "type": "invalid_request_error"}})
        mode = read("mode")
        if mode == "500":
            return self.answer(500, {"error": {"message": "The server had an error", "type": "server_error"}})
        if mode == "slow":
            time.sleep(5)
        if mode == "huge":
            return self.answer(200, b'{"choices": [{"message": {"content": "' + b"x" * (20 << 20) + b'"}}]}')
        if mode == "no_schema" and "response_format" in req:
            return self.answer(400, {"error": {"message": "response_format of type json_schema is not supported",
                                               "type": "invalid_request_error", "param": "response_format"}})
        self.answer(200, {
            "id": "chatcmpl-fake", "object": "chat.completion", "created": int(time.time()),
            "model": req.get("model", ""),
            "choices": [{"index": 0, "message": {"role": "assistant", "content": read("answer"), "refusal": None},
                         "logprobs": None, "finish_reason": "length" if mode == "cut" else "stop"}],
            "usage": {"prompt_tokens": 100, "completion_tokens": 50, "total_tokens": 150}})


server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
with open(os.path.join(DIR, "port.tmp"), "w") as f:
    f.write(str(server.server_port))
os.rename(os.path.join(DIR, "port.tmp"), os.path.join(DIR, "port"))
server.serve_forever()
