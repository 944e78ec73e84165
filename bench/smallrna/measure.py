#!/usr/bin/env python3
"""Wall time and peak memory of a whole command, pipes and child processes included.

  measure.py [--label NAME] [--tsv FILE] [--interval 0.05] -- COMMAND [ARGS...]
  measure.py --label peer -- bash -c 'cutadapt ... | bowtie ... | python3 count.py'

Runs COMMAND under GNU time (`/usr/bin/time -v`, Debian package `time`) and, at the same
time, walks COMMAND's process tree in /proc every --interval seconds. Reports:

  wall_s, user_s, sys_s   from time -v (user and sys include every waited-for descendant)
  max_rss_mib             time -v "Maximum resident set size": the largest RSS of any ONE
                          process of the tree (the kernel's ru_maxrss over children is a max,
                          not a sum), so for `a | b` it is max(a, b)
  peak_sum_rss_mib        the largest sum of VmRSS over all processes alive at one sampling
                          instant: what a pipe of concurrent processes holds at once. Shared
                          pages (libraries, fork copy-on-write) count once per process, so it
                          is an upper bound
  peak_sum_pss_mib        the same with Pss from /proc/PID/smaps_rollup (shared pages split
                          between their users): the best single figure for a pipe's memory
  exit                    the command's exit status
  other_cpu_s             CPU seconds the rest of the machine used meanwhile (/proc/stat busy
                          time minus the command's user+sys; the sampler itself is included):
                          well above ~1 s means the timing was disturbed and should be redone.
                          --wait-quiet S waits (at most S s) for an idle machine before starting.

A stage shorter than the interval can be missed by the sampler (time -v never misses). Prints
one TSV line (with a header when --tsv is new or absent) and appends it to --tsv if given.
The exit status is the command's.
"""
import argparse
import os
import re
import subprocess
import sys
import tempfile
import time

FIELDS = ["label", "wall_s", "user_s", "sys_s", "max_rss_mib", "peak_sum_rss_mib", "peak_sum_pss_mib", "exit", "other_cpu_s"]
HZ = os.sysconf("SC_CLK_TCK")


def busy_seconds():
    """Non-idle CPU seconds of the whole machine since boot (/proc/stat)."""
    with open("/proc/stat") as fh:
        f = [int(x) for x in fh.readline().split()[1:]]
    idle = f[3] + (f[4] if len(f) > 4 else 0)
    return (sum(f[:8]) - idle) / HZ


def wait_quiet(limit_s, max_cores=0.15):
    """Wait until the machine is idle (< max_cores busy over 1 s), at most limit_s seconds."""
    t0 = time.time()
    while True:
        b0 = busy_seconds(); time.sleep(1.0); b1 = busy_seconds()
        if b1 - b0 < max_cores or time.time() - t0 > limit_s:
            return time.time() - t0


def children_map():
    kids = {}
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            with open("/proc/%s/stat" % d) as fh:
                st = fh.read()
            ppid = int(st[st.rindex(")") + 2:].split()[1])
            kids.setdefault(ppid, []).append(int(d))
        except (OSError, ValueError):
            pass
    return kids


def tree(root):
    kids = children_map()
    out, stack = [], [root]
    while stack:
        p = stack.pop()
        out.append(p)
        stack.extend(kids.get(p, []))
    return out


def mem_kib(pid):
    rss = pss = 0
    try:
        with open("/proc/%d/status" % pid) as fh:
            for line in fh:
                if line.startswith("VmRSS:"):
                    rss = int(line.split()[1])
                    break
    except OSError:
        return 0, 0
    try:
        with open("/proc/%d/smaps_rollup" % pid) as fh:
            for line in fh:
                if line.startswith("Pss:"):
                    pss = int(line.split()[1])
                    break
    except OSError:
        pss = rss
    return rss, pss


def parse_elapsed(s):
    parts = [float(x) for x in s.split(":")]
    sec = 0.0
    for p in parts:
        sec = sec * 60 + p
    return sec


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--label", default="")
    ap.add_argument("--tsv")
    ap.add_argument("--interval", type=float, default=0.05)
    ap.add_argument("--wait-quiet", type=float, default=0, metavar="S",
                    help="first wait (at most S seconds) until the machine is idle")
    ap.add_argument("cmd", nargs=argparse.REMAINDER)
    args = ap.parse_args()
    cmd = args.cmd[1:] if args.cmd and args.cmd[0] == "--" else args.cmd
    if not cmd:
        ap.error("no command")
    if not os.path.exists("/usr/bin/time"):
        sys.exit("GNU time missing: apt-get install time")
    if args.wait_quiet > 0:
        waited = wait_quiet(args.wait_quiet)
        if waited > 2:
            sys.stderr.write("measure.py: waited %.0f s for an idle machine\n" % waited)
    fd, tv = tempfile.mkstemp(prefix="measure.", suffix=".time")
    busy0 = busy_seconds()
    os.close(fd)
    proc = subprocess.Popen(["/usr/bin/time", "-v", "-o", tv] + cmd)
    peak_rss = peak_pss = 0
    while proc.poll() is None:
        rss = pss = 0
        for p in tree(proc.pid):
            if p == proc.pid:
                continue  # GNU time itself
            r, s = mem_kib(p)
            rss += r
            pss += s
        peak_rss, peak_pss = max(peak_rss, rss), max(peak_pss, pss)
        time.sleep(args.interval)
    rc = proc.returncode
    busy1 = busy_seconds()
    txt = open(tv).read()
    os.unlink(tv)

    def grab(key, conv=float):
        m = re.search(r"^\s*%s:\s*(.+)$" % re.escape(key), txt, re.M)
        return conv(m.group(1).strip()) if m else float("nan")

    wall = grab("Elapsed (wall clock) time (h:mm:ss or m:ss)", parse_elapsed)
    user = grab("User time (seconds)")
    syst = grab("System time (seconds)")
    maxrss = grab("Maximum resident set size (kbytes)") / 1024.0
    row = [args.label, "%.2f" % wall, "%.2f" % user, "%.2f" % syst, "%.1f" % maxrss,
           "%.1f" % (peak_rss / 1024.0), "%.1f" % (peak_pss / 1024.0), str(rc),
           "%.1f" % max(0.0, busy1 - busy0 - user - syst)]
    line = "\t".join(row)
    new = not args.tsv or not os.path.exists(args.tsv)
    if args.tsv:
        with open(args.tsv, "a") as fh:
            if new:
                fh.write("\t".join(FIELDS) + "\n")
            fh.write(line + "\n")
    sys.stderr.write(("\t".join(FIELDS) + "\n" if new else "") + line + "\n")
    sys.exit(rc)


if __name__ == "__main__":
    main()
