"""Run a Python script as __main__, then write this process's peak RSS in bytes.

`python measure_peak_memory.py manage.py import_pptx ...` runs the real
command; the figure goes to the file named by GOFUN_PEAK_MEMORY_REPORT, so the
command's own output is untouched.

The peak is VmHWM from /proc: getrusage's ru_maxrss survives exec on Linux, so
a child forked from a large test process would report the parent's size.
"""

import os
import resource
import runpy
import sys


def peak_resident_bytes() -> int:
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    # ru_maxrss is in kilobytes on Linux.
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


if __name__ == "__main__":
    script, *arguments = sys.argv[1:]
    sys.argv = [script, *arguments]
    sys.path.insert(0, os.path.dirname(os.path.abspath(script)))
    try:
        runpy.run_path(script, run_name="__main__")
    finally:
        with open(os.environ["GOFUN_PEAK_MEMORY_REPORT"], "w") as report:
            report.write(str(peak_resident_bytes()))
