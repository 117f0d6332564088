#!/usr/bin/env python3
"""Exclusive and inclusive time per method from a dotnet-trace speedscope file (issue 12, helper coldplan3).

    dotnet-trace collect --format speedscope --providers Microsoft-DotNETCore-SampleProfiler -o T.nettrace -- \
        dotnet src/HyperLaws.Cli/bin/Release/net10.0/linux-x64/hyperlaws.dll plan --params 400M --tokens 590B --no-fit-cache --quiet --out DIR
    python3 benchmarks/speedscope_methods.py T.speedscope.json [TOP] [INCLUSIVE_TOP]

The sample profiler records every managed thread's stack each millisecond whether or not the thread is on a CPU. Idle and waiting
threads (the thread pool's semaphore and spin waits, the gate thread, waits on handles, monitors and tasks, fsync) are left out
here; what is left is time in managed (or called native) code, which on a loaded machine also counts a thread preempted or held at a
GC suspension: a wall-clock split among running methods, not CPU (use perf for CPU). Prints sample-milliseconds per method.
"""
import collections
import json
import re
import sys

WAIT = re.compile(r'LowLevelLifoSemaphore|LowLevelSpinWaiter|WaitHandle\.Wait|Monitor\.Wait|SpinWait|GateThreadStart|'
                  r'GetGCMemoryInfo|Thread\.Sleep|SemaphoreSlim\.Wait|ManualResetEventSlim\.Wait|Task\.Wait|InternalWait|'
                  r'WaitNative|FSync|WorkerThread\.WorkerThreadStart$')


def main():
    data = json.load(open(sys.argv[1]))
    top = int(sys.argv[2]) if len(sys.argv) > 2 else 40
    inclusive_top = int(sys.argv[3]) if len(sys.argv) > 3 else 0
    frames = [re.sub(r'\(.*', '', f['name']) for f in data['shared']['frames']]
    exclusive, inclusive = collections.Counter(), collections.Counter()
    busy = waiting = 0.0
    for profile in data['profiles']:
        stack, last = [], None
        for event in profile['events']:
            at = event['at']
            if stack and last is not None:
                names = [frames[i] for i in stack]
                leaf = names[-1]
                # CPU_TIME / UNMANAGED_CODE_TIME are the converter's leaf markers: the method is the frame above them.
                core = names[:-1] if leaf in ('CPU_TIME', 'UNMANAGED_CODE_TIME') else names
                if not core or WAIT.search(core[-1]):
                    waiting += at - last
                else:
                    busy += at - last
                    exclusive[core[-1] + (' [native]' if leaf == 'UNMANAGED_CODE_TIME' else '')] += at - last
                    for name in set(core):
                        inclusive[name] += at - last
            last = at
            if event['type'] == 'O':
                stack.append(event['frame'])
            else:
                while stack and stack[-1] != event['frame']:
                    stack.pop()
                if stack:
                    stack.pop()
    print(f'busy sample-ms {busy:.0f}, waiting or idle sample-ms {waiting:.0f}')
    print('--- exclusive')
    for name, ms in exclusive.most_common(top):
        print(f'{ms:8.0f} {100 * ms / busy:5.1f}% {name[:150]}')
    if inclusive_top:
        print('--- inclusive')
        for name, ms in inclusive.most_common(inclusive_top):
            print(f'{ms:8.0f} {100 * ms / busy:5.1f}% {name[:150]}')


if __name__ == '__main__':
    main()
