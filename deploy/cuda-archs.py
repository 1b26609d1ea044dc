#!/usr/bin/env python3
"""Lists the GPU code in a CUDA library: the cubin (SASS) and PTX targets of every fat binary it embeds.

  deploy/cuda-archs.py libnd4jcuda.so   (unzip it from the nd4j-cuda-11.6 *-linux-x86_64-cudnn.jar first)

Prints one line per (kind, compute capability) with the number of fat binaries holding it. A GPU runs a
cubin built for the same major version and a lower or equal minor; PTX is compiled for newer GPUs. This is
how BackendCheck.CUDA_11_6_SASS was measured (no CUDA toolkit needed: the fat binary headers are parsed).
"""
import collections
import mmap
import struct
import sys

MAGIC = struct.pack('<I', 0xBA55ED50)  # fatBinaryHeader.magic


def targets(path):
    with open(path, 'rb') as f, mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) as m:
        found = collections.Counter()
        pos = m.find(MAGIC)
        while pos != -1:
            _version, header_size, fat_size = struct.unpack_from('<HHQ', m, pos + 4)
            if header_size != 16:
                pos = m.find(MAGIC, pos + 4)
                continue
            entry, end = pos + header_size, pos + header_size + fat_size
            while entry < end:
                # fatBinData: kind (1 PTX, 2 cubin), unknown, header size, payload size, ..., arch at +28
                kind, _unknown, entry_header, payload = struct.unpack_from('<HHIQ', m, entry)
                arch = struct.unpack_from('<I', m, entry + 28)[0]
                found[({1: 'ptx', 2: 'cubin'}.get(kind, str(kind)), arch)] += 1
                if entry_header == 0:
                    break
                entry += entry_header + payload
            pos = m.find(MAGIC, end)
        return found


if __name__ == '__main__':
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    for (kind, arch), n in sorted(targets(sys.argv[1]).items()):
        print(f'{kind} sm_{arch}: {n} fat binaries')
