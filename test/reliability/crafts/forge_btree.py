#!/usr/bin/env python3
# Part of the hostile-file suite (test/reliability/hostile-files.test.ts): run by it, not by hand.
"""Craft a records B-tree in which a scan (what verify reads, in chunks of 512 rows) sees the
genuine rows, while a rowid lookup (what history/status/prove use) of the last seq finds a forged
row on an extra leaf page that the chunked scan skips.
usage: forge_btree.py SRC.db DST.db FORGED_LEAF_JSON_FILE
"""
import sys, struct, sqlite3, shutil

src, dst, forged_path = sys.argv[1:4]
shutil.copy(src, dst)
forged_leaf = open(forged_path, 'rb').read().rstrip(b'\n')

con = sqlite3.connect(dst)
con.execute('pragma wal_checkpoint(TRUNCATE)')
root = con.execute("select rootpage from sqlite_schema where name='records'").fetchone()[0]
last_seq, = con.execute('select max(seq) from records').fetchone()
hashes, item_prev, rtype, item, actor, time = con.execute('select hashes, item_prev, type, item, actor, time from records where seq=?', (last_seq,)).fetchone()
con.close()

data = bytearray(open(dst, 'rb').read())
psz = struct.unpack('>H', data[16:18])[0]
if psz == 1: psz = 65536
npages = len(data) // psz

def page(n):
    off = (n - 1) * psz
    hdr = 100 if n == 1 else 0
    return off, hdr

def varint(v):
    # SQLite varint (big-endian, 7 bits per byte, up to 9 bytes)
    if v < 0: v += 1 << 64
    if v <= 0x7f: return bytes([v])
    out = []
    if v > 0x00ffffffffffffff:
        out = [v & 0xff]; v >>= 8
        for _ in range(8): out.insert(0, (v & 0x7f) | 0x80); v >>= 7
        return bytes(out)
    while v:
        out.insert(0, (v & 0x7f) | 0x80); v >>= 7
    out[-1] &= 0x7f
    return bytes(out)

def rvarint(b, i):
    v = 0
    for k in range(8):
        c = b[i + k]; v = (v << 7) | (c & 0x7f)
        if c < 0x80: return v, i + k + 1
    return (v << 8) | b[i + 8], i + 9

# descend the rightmost path to the interior page whose right child is a leaf
p = root
while True:
    off, h = page(p)
    t = data[off + h]
    assert t == 0x05, t
    right = struct.unpack('>I', data[off + h + 8: off + h + 12])[0]
    roff, rh = page(right)
    if data[roff + rh] == 0x0D: break
    p = right
interior, leafL = p, right
print('interior page', interior, 'old right leaf', leafL)

# min key in leafL
loff, lh = page(leafL)
n = struct.unpack('>H', data[loff + lh + 3: loff + lh + 5])[0]
keys = []
for i in range(n):
    cp = struct.unpack('>H', data[loff + lh + 8 + 2 * i: loff + lh + 10 + 2 * i])[0]
    _, j = rvarint(data, loff + cp)
    k, _ = rvarint(data, j)
    keys.append(k)
print('keys of old right leaf', keys)
divider = max(keys) - 1  # lie: seek(max) no longer goes to leafL

# record payload for the forged row: seq is the rowid (NULL in the record)
def serial(v):
    if v is None: return 0, b''
    if isinstance(v, int): return 6, struct.pack('>q', v)
    if isinstance(v, (bytes, bytearray)): return 12 + 2 * len(v), bytes(v)
    b = v.encode(); return 13 + 2 * len(b), b
cols = [None, forged_leaf, hashes, rtype, item, item_prev, actor, time]
sts, body = [], b''
for c in cols:
    st, b = serial(c); sts.append(varint(st)); body += b
hdr = b''.join(sts)
hlen = len(hdr) + 1
if hlen > 127: hlen += 1
payload = varint(hlen) + hdr + body
assert len(payload) < psz - 35
cell = varint(len(payload)) + varint(last_seq) + payload

# new leaf page F appended to the file
F = npages + 1
fpage = bytearray(psz)
start = psz - len(cell)
fpage[0] = 0x0D
struct.pack_into('>HHHB', fpage, 1, 0, 1, start, 0)
struct.pack_into('>H', fpage, 8, start)
fpage[start:] = cell
data += fpage
struct.pack_into('>I', data, 28, F)  # page count in header

# interior: add cell (leafL, divider), right child := F
off, h = page(interior)
ncell = struct.unpack('>H', data[off + h + 3: off + h + 5])[0]
content = struct.unpack('>H', data[off + h + 5: off + h + 7])[0] or 65536
icell = struct.pack('>I', leafL) + varint(divider)
ptr_end = h + 12 + 2 * ncell
new_content = content - len(icell)
assert new_content >= ptr_end + 2, 'no room in interior page'
data[off + new_content: off + new_content + len(icell)] = icell
struct.pack_into('>H', data, off + ptr_end, new_content)
struct.pack_into('>H', data, off + h + 3, ncell + 1)
struct.pack_into('>H', data, off + h + 5, new_content)
struct.pack_into('>I', data, off + h + 8, F)
open(dst, 'wb').write(data)
print('forged row', last_seq, 'on new page', F)
