"""Runs a command under a pseudo-terminal and answers its prompts, as a person at a terminal would.

usage: pty-run.py STEPS_JSON -- COMMAND...
STEPS_JSON is a list of [text to wait for, keys to send]. Prints everything the command wrote, then exits
with the command's exit code (or 124 when a text never appeared within 20 seconds). PTY_COLUMNS, when set, is
the terminal's width (its window size, as a terminal emulator sets it).
"""
import fcntl, json, os, pty, select, struct, sys, termios, time

steps = json.loads(sys.argv[1])
command = sys.argv[sys.argv.index('--') + 1:]
pid, fd = pty.fork()
if pid == 0:
    os.environ['COLUMNS'] = os.environ.get('PTY_COLUMNS', '120')
    if 'PTY_COLUMNS' in os.environ:
        fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack('HHHH', 50, int(os.environ['PTY_COLUMNS']), 0, 0))
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
