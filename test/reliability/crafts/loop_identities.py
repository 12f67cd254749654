#!/usr/bin/env python3
# Part of the hostile-file suite (test/reliability/hostile-files.test.ts): run by it, not by hand.
"""Replace the identities table's B-tree with NROWS rows whose `state` each claims ~4 MB through one
overflow page that points to itself. usage: loop_identities.py SRC.db DST.db NROWS"""
import sys, struct, sqlite3, shutil
src, dst, nrows = sys.argv[1], sys.argv[2], int(sys.argv[3])
shutil.copy(src, dst)
con = sqlite3.connect(dst); con.execute('pragma wal_checkpoint(TRUNCATE)')
root = con.execute("select rootpage from sqlite_schema where name='identities'").fetchone()[0]
con.close()
data = bytearray(open(dst, 'rb').read())
psz = struct.unpack('>H', data[16:18])[0]; usable = psz - data[20]
maxLocal = usable - 35; minLocal = (usable - 12) * 32 // 255 - 23
npages = len(data) // psz
def varint(v):
    if v <= 0x7f: return bytes([v])
    out = []
    while v: out.insert(0, (v & 0x7f) | 0x80); v >>= 7
    out[-1] &= 0x7f; return bytes(out)
P = minLocal + 1024 * (usable - 4)          # local part is exactly minLocal
assert minLocal + ((P - minLocal) % (usable - 4)) == minLocal
X = npages + 1                               # the self-looping overflow page
pages = {X: struct.pack('>I', X) + b'a' * (usable - 4) + bytes(psz - usable)}
cells = []
for i in range(nrows):
    ident = ('x%05d' % i).encode()
    # header: size, serial(id), serial(state)
    for hl in (4, 5, 6):
        S = P - hl - len(ident)
        hdr = varint(hl) + varint(13 + 2 * len(ident)) + varint(13 + 2 * S)
        if len(hdr) == hl: break
    assert len(hdr) == hl
    local = (hdr + ident + b'{' + b'a' * minLocal)[:minLocal]
    cells.append(varint(P) + varint(i + 1000) + local + struct.pack('>I', X))
# pack cells into leaf pages
leaves = []; cur = []; used = 8
for c in cells:
    if used + len(c) + 2 > usable: leaves.append(cur); cur = []; used = 8
    cur.append(c); used += len(c) + 2
if cur: leaves.append(cur)
leafnos = []
for j, lc in enumerate(leaves):
    pno = X + 1 + j; leafnos.append(pno)
    pg = bytearray(psz); end = usable; ptrs = []
    for c in lc:
        end -= len(c); pg[end:end + len(c)] = c; ptrs.append(end)
    pg[0] = 0x0D; struct.pack_into('>HHHB', pg, 1, 0, len(lc), end, 0)
    for k, p in enumerate(ptrs): struct.pack_into('>H', pg, 8 + 2 * k, p)
    pages[pno] = bytes(pg)
# root (in place): interior page over the new leaves
def lastkey(lc):
    c = lc[-1]; i = 0
    while c[i] & 0x80: i += 1
    i += 1; v = 0
    while True:
        v = (v << 7) | (c[i] & 0x7f)
        if c[i] < 0x80: return v
        i += 1
off = (root - 1) * psz; h = 100 if root == 1 else 0
rp = bytearray(psz); end = usable; ptrs = []
for pno, lc in zip(leafnos[:-1], leaves[:-1]):
    c = struct.pack('>I', pno) + varint(lastkey(lc)); end -= len(c); rp[end:end + len(c)] = c; ptrs.append(end)
rp[0] = 0x05; struct.pack_into('>HHHBI', rp, 1, 0, len(ptrs), end, 0, leafnos[-1])
for k, p in enumerate(ptrs): struct.pack_into('>H', rp, 12 + 2 * k, p)
assert 12 + 2 * len(ptrs) <= end
data[off:off + psz] = rp
for pno in sorted(pages):
    assert len(data) == (pno - 1) * psz
    data += pages[pno]
struct.pack_into('>I', data, 28, len(data) // psz)
open(dst, 'wb').write(data)
print('file bytes', len(data), 'rows', nrows, 'claimed per row', P)
