#!/usr/bin/env python3
"""Independent decoder of W&B run files (run-ID.wandb), used to obtain the values WandbRunFileReaderTests expect.

Standard library only (zlib's CRC-32, a hand-written varint/protobuf walk); shares no code with the C# reader.
Format: wandb/sdk/internal/datastore.py (header ':W&B' E1 BE version; LevelDB log chunks in 32 KiB blocks counted from
offset 0, checksum = zlib.crc32(type byte + data)); records: wandb/proto/wandb_internal.proto (Record.history = 2,
summary = 3, config = 5, run = 17, exit = 18; HistoryItem key = 1, nested_key = 2, value_json = 16; HistoryRecord.step = 2).

usage: decode.py FILE [FILE ...]   (a .gz file is decompressed first)
prints, per file: chunk-type counts, record kinds, problems, config, every history row (step, key=value) and the summary.
"""
import gzip
import struct
import sys
import zlib


def varint(b, i):
    r = s = 0
    while True:
        x = b[i]
        i += 1
        r |= (x & 0x7F) << s
        s += 7
        if x < 0x80:
            return r, i


def fields(b):
    i = 0
    while i < len(b):
        k, i = varint(b, i)
        f, t = k >> 3, k & 7
        if t == 0:
            v, i = varint(b, i)
        elif t == 1:
            v, i = b[i:i + 8], i + 8
        elif t == 5:
            v, i = b[i:i + 4], i + 4
        elif t == 2:
            n, i = varint(b, i)
            v, i = b[i:i + n], i + n
        else:
            raise ValueError("wire type %d" % t)
        yield f, v


def records(d, chunk_types):
    if d[:4] != b":W&B" or d[4:6] != b"\xe1\xbe" or d[6] > 1:
        yield "bad-header", 0
        return
    pos, buf, first = 7, None, 0
    while pos < len(d):
        left = 32768 - pos % 32768
        if left < 7:
            pos += left
            continue
        if pos + 7 > len(d):
            yield "torn-header", pos
            return
        crc, n, t = struct.unpack("<IHB", d[pos:pos + 7])
        data = d[pos + 7:pos + 7 + n]
        if len(data) < n:
            yield "torn-chunk", (first if buf is not None else pos)
            return
        if zlib.crc32(bytes([t]) + data) != crc:
            yield "crc", pos
            return
        chunk_types[t] = chunk_types.get(t, 0) + 1
        if t == 1:
            yield "rec", (pos, data)
        elif t == 2:
            buf, first = data, pos
        elif t == 3:
            buf += data
        elif t == 4:
            yield "rec", (first, buf + data)
            buf = None
        else:
            yield "type%d" % t, pos
            return
        pos += 7 + n
    if buf is not None:
        yield "torn-record", first


def item(b):
    key, nested, val = None, [], "null"
    for f, v in fields(b):
        if f == 1:
            key = v.decode()
        elif f == 2:
            nested.append(v.decode())
        elif f == 16:
            val = v.decode()
    return (key if key else "/".join(nested)), val


def main(paths):
    for p in paths:
        d = open(p, "rb").read()
        if p.endswith(".gz"):
            d = gzip.decompress(d)
        chunk_types, kinds, hist, cfg, summ, probs = {}, {}, [], {}, {}, []
        for kind, x in records(d, chunk_types):
            if kind != "rec":
                probs.append((kind, x))
                continue
            off, data = x
            for f, v in fields(data):
                if f not in (2, 3, 5, 17, 18):
                    continue
                kinds[f] = kinds.get(f, 0) + 1
                if f == 2:
                    row, step = {}, None
                    for g, w in fields(v):
                        if g == 1:
                            k, val = item(w)
                            row[k] = val
                        elif g == 2:
                            step = dict(fields(w)).get(1, 0)
                    hist.append((off, step, row))
                elif f in (3, 5):
                    target = summ if f == 3 else cfg
                    for g, w in fields(v):
                        if g == 1:
                            k, val = item(w)
                            target[k] = val
                elif f == 17:
                    for g, w in fields(v):
                        if g == 4:
                            for h, u in fields(w):
                                if h == 1:
                                    k, val = item(u)
                                    cfg[k] = val
        print("== %s (%d bytes)" % (p, len(d)))
        print("chunk types", chunk_types, "record kinds", kinds, "problems", probs)
        print("config", {k: v[:60] for k, v in cfg.items()})
        for off, step, row in hist:
            shown = {k: v for k, v in row.items() if not k.startswith("hist_")}
            print("offset", off, "step", step, shown)
        print("summary", {k: v[:60] for k, v in summ.items() if not k.startswith("hist_")})


if __name__ == "__main__":
    main(sys.argv[1:])
