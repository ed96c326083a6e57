"""Runs a command under a pseudo-terminal and answers its prompts, as a person at a terminal would.

usage: pty-run.py STEPS_JSON -- COMMAND...
STEPS_JSON is a list of [text to wait for, keys to send]. Prints everything the command wrote, then exits
with the command's exit code (or 124 when a text never appeared within 20 seconds).
"""
import json, os, pty, select, sys, time

steps = json.loads(sys.argv[1])
command = sys.argv[sys.argv.index('--') + 1:]
pid, fd = pty.fork()
if pid == 0:
    os.environ['COLUMNS'] = '120'
    os.execvp(command[0], command)

output = b''

def read_for(seconds):
    global output
    end = time.time() + seconds
    while time.time() < end:
        ready, _, _ = select.select([fd], [], [], 0.05)
        if ready:
            try:
                chunk = os.read(fd, 65536)
            except OSError:
                return False
            if not chunk:
                return False
            output += chunk
    return True

for wait_for, keys in steps:
    deadline = time.time() + 20
    seen_from = 0
    while wait_for.encode() not in output:
        if time.time() > deadline or not read_for(0.1):
            sys.stdout.write(output.decode('utf-8', 'replace'))
            sys.stdout.write('\n[pty-run: never saw %r]\n' % wait_for)
            os.kill(pid, 9)
            sys.exit(124)
    output_before = len(output)
    time.sleep(0.15)
    read_for(0.1)
    os.write(fd, keys.encode())

deadline = time.time() + 20
while time.time() < deadline and read_for(0.2):
    pass
_, status = os.waitpid(pid, 0)
sys.stdout.write(output.decode('utf-8', 'replace'))
sys.exit(os.WEXITSTATUS(status) if os.WIFEXITED(status) else 1)
