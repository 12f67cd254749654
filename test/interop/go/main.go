// Command interop checks custody's notes, checkpoints and cosignatures against Go's own
// golang.org/x/mod/sumdb/note, for test/interop.test.ts.
//
// It reads a JSON array of requests on stdin and writes a JSON array of answers, one per request,
// on stdout. Requests:
//
//	{"op":"open",   "note":"base64", "vkeys":["…"]}             → {"ok":true,"verified":["name+hash"],"unverified":["name+hash"]}
//	{"op":"sign",   "text":"…", "name":"…", "seed":"hex32"}      → {"ok":true,"note":"…"}
//	{"op":"vkey",   "name":"…", "seed":"hex32", "type":1|4}      → {"ok":true,"vkey":"…"}
//	{"op":"cosign", "text":"…", "name":"…", "seed":"hex32", "timestamp":N} → {"ok":true,"line":"— …"}
//	{"op":"inclusion",   "index":I, "size":N, "leaf":"b64", "root":"b64", "proof":["b64"…]} → {"ok":true} (tlog.CheckRecord)
//	{"op":"consistency", "old":M,   "size":N, "oldRoot":"b64", "root":"b64", "proof":["b64"…]} → {"ok":true} (tlog.CheckTree)
//	{"op":"treehash",    "leaves":["b64 leaf bytes"…]} → {"ok":true,"root":"b64"} (tlog.StoredHashes + tlog.TreeHash)
//
// The note to open is given as base64 of its bytes, so that it may be any bytes at all.
// A failure is {"ok":false,"error":"…"}. Verifier keys of type 0x01 go through note.NewVerifier;
// sumdb/note knows no other type, so type 0x04 (C2SP tlog-cosignature, cosignature/v1) keys get a
// small note.Verifier written here from the spec.
//
// Build offline with the Debian packages golang-go and golang-golang-x-mod-dev:
//
//	GO111MODULE=off GOPATH=/usr/share/gocode go build -o interop ./test/interop/go
package main

import (
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

type request struct {
	Op        string   `json:"op"`
	Note      string   `json:"note"`
	Text      string   `json:"text"`
	Name      string   `json:"name"`
	Seed      string   `json:"seed"`
	Type      int      `json:"type"`
	Timestamp uint64   `json:"timestamp"`
	Vkeys     []string `json:"vkeys"`
	Index     int64    `json:"index"`
	Size      int64    `json:"size"`
	Old       int64    `json:"old"`
	Leaf      string   `json:"leaf"`
	Root      string   `json:"root"`
	OldRoot   string   `json:"oldRoot"`
	Proof     []string `json:"proof"`
	Leaves    []string `json:"leaves"`
}

type answer struct {
	OK         bool     `json:"ok"`
	Error      string   `json:"error,omitempty"`
	Verified   []string `json:"verified,omitempty"`
	Unverified []string `json:"unverified,omitempty"`
	Note       string   `json:"note,omitempty"`
	Vkey       string   `json:"vkey,omitempty"`
	Line       string   `json:"line,omitempty"`
	Root       string   `json:"root,omitempty"`
}

const (
	algEd25519       = 0x01
	algCosignatureV1 = 0x04
)

func main() {
	var requests []request
	if err := json.NewDecoder(os.Stdin).Decode(&requests); err != nil {
		fmt.Fprintln(os.Stderr, "interop: reading requests:", err)
		os.Exit(2)
	}
	answers := make([]answer, len(requests))
	for i, r := range requests {
		a, err := handle(r)
		if err != nil {
			a = answer{Error: err.Error()}
		} else {
			a.OK = true
		}
		answers[i] = a
	}
	if err := json.NewEncoder(os.Stdout).Encode(answers); err != nil {
		fmt.Fprintln(os.Stderr, "interop: writing answers:", err)
		os.Exit(2)
	}
}

func handle(r request) (answer, error) {
	switch r.Op {
	case "open":
		msg, err := base64.StdEncoding.DecodeString(r.Note)
		if err != nil {
			return answer{}, fmt.Errorf("note: %w", err)
		}
		return open(msg, r.Vkeys)
	case "sign":
		return sign(r.Text, r.Name, r.Seed)
	case "vkey":
		return vkey(r.Name, r.Seed, r.Type)
	case "cosign":
		return cosign(r.Text, r.Name, r.Seed, r.Timestamp)
	case "inclusion":
		return inclusion(r)
	case "consistency":
		return consistency(r)
	case "treehash":
		return treeHash(r.Leaves)
	}
	return answer{}, fmt.Errorf("unknown op %q", r.Op)
}

// open opens a note with note.Open and lists the signers it verified and the ones it did not know.
func open(msg []byte, vkeys []string) (answer, error) {
	var verifiers []note.Verifier
	for _, k := range vkeys {
		v, err := newVerifier(k)
		if err != nil {
			return answer{}, fmt.Errorf("verifier key %q: %w", k, err)
		}
		verifiers = append(verifiers, v)
	}
	n, err := note.Open(msg, note.VerifierList(verifiers...))
	if err != nil {
		return answer{}, err
	}
	a := answer{}
	for _, s := range n.Sigs {
		a.Verified = append(a.Verified, fmt.Sprintf("%s+%08x", s.Name, s.Hash))
	}
	for _, s := range n.UnverifiedSigs {
		a.Unverified = append(a.Unverified, fmt.Sprintf("%s+%08x", s.Name, s.Hash))
	}
	return a, nil
}

// newVerifier is note.NewVerifier, plus cosignature/v1 keys (type 0x04).
func newVerifier(vkey string) (note.Verifier, error) {
	parts := strings.SplitN(vkey, "+", 3)
	if len(parts) == 3 {
		key, err := base64.StdEncoding.DecodeString(parts[2])
		if err == nil && len(key) == 33 && key[0] == algCosignatureV1 {
			hash, err := strconv.ParseUint(parts[1], 16, 32)
			if err != nil || uint32(hash) != keyHash(parts[0], key) {
				return nil, errors.New("invalid cosignature/v1 verifier key")
			}
			return &cosignatureVerifier{name: parts[0], hash: uint32(hash), key: ed25519.PublicKey(key[1:])}, nil
		}
	}
	return note.NewVerifier(vkey)
}

// cosignatureVerifier checks C2SP tlog-cosignature cosignature/v1 signatures: the signature is an
// 8-byte big-endian timestamp followed by an Ed25519 signature of
// "cosignature/v1\ntime <timestamp>\n" and the checkpoint text.
type cosignatureVerifier struct {
	name string
	hash uint32
	key  ed25519.PublicKey
}

func (v *cosignatureVerifier) Name() string    { return v.name }
func (v *cosignatureVerifier) KeyHash() uint32 { return v.hash }
func (v *cosignatureVerifier) Verify(msg, sig []byte) bool {
	if len(sig) != 8+ed25519.SignatureSize {
		return false
	}
	t := binary.BigEndian.Uint64(sig)
	if t > 1<<63-1 {
		return false
	}
	return ed25519.Verify(v.key, cosignatureMessage(msg, t), sig[8:])
}

func cosignatureMessage(text []byte, t uint64) []byte {
	return append([]byte(fmt.Sprintf("cosignature/v1\ntime %d\n", t)), text...)
}

// sign signs text with note.Sign, through a signer key string parsed by note.NewSigner.
func sign(text, name, seedHex string) (answer, error) {
	seed, err := readSeed(seedHex)
	if err != nil {
		return answer{}, err
	}
	pub := ed25519.NewKeyFromSeed(seed).Public().(ed25519.PublicKey)
	hash := keyHash(name, append([]byte{algEd25519}, pub...))
	skey := fmt.Sprintf("PRIVATE+KEY+%s+%08x+%s", name, hash, base64.StdEncoding.EncodeToString(append([]byte{algEd25519}, seed...)))
	signer, err := note.NewSigner(skey)
	if err != nil {
		return answer{}, err
	}
	msg, err := note.Sign(&note.Note{Text: text}, signer)
	if err != nil {
		return answer{}, err
	}
	return answer{Note: string(msg)}, nil
}

// vkey returns the verifier key of a seed: note.NewEd25519VerifierKey for type 0x01.
func vkey(name, seedHex string, typ int) (answer, error) {
	seed, err := readSeed(seedHex)
	if err != nil {
		return answer{}, err
	}
	pub := ed25519.NewKeyFromSeed(seed).Public().(ed25519.PublicKey)
	switch typ {
	case algEd25519:
		k, err := note.NewEd25519VerifierKey(name, pub)
		return answer{Vkey: k}, err
	case algCosignatureV1:
		key := append([]byte{algCosignatureV1}, pub...)
		return answer{Vkey: fmt.Sprintf("%s+%08x+%s", name, keyHash(name, key), base64.StdEncoding.EncodeToString(key))}, nil
	}
	return answer{}, fmt.Errorf("unknown key type %d", typ)
}

// cosign makes a cosignature/v1 signature line on a checkpoint text with note.Sign.
func cosign(text, name, seedHex string, t uint64) (answer, error) {
	seed, err := readSeed(seedHex)
	if err != nil {
		return answer{}, err
	}
	priv := ed25519.NewKeyFromSeed(seed)
	key := append([]byte{algCosignatureV1}, priv.Public().(ed25519.PublicKey)...)
	s := &cosigner{name: name, hash: keyHash(name, key), key: priv, t: t}
	msg, err := note.Sign(&note.Note{Text: text}, s)
	if err != nil {
		return answer{}, err
	}
	lines := strings.Split(strings.TrimSuffix(string(msg), "\n"), "\n")
	return answer{Line: lines[len(lines)-1]}, nil
}

type cosigner struct {
	name string
	hash uint32
	key  ed25519.PrivateKey
	t    uint64
}

func (s *cosigner) Name() string    { return s.name }
func (s *cosigner) KeyHash() uint32 { return s.hash }
func (s *cosigner) Sign(msg []byte) ([]byte, error) {
	sig := make([]byte, 8, 8+ed25519.SignatureSize)
	binary.BigEndian.PutUint64(sig, s.t)
	return append(sig, ed25519.Sign(s.key, cosignatureMessage(msg, s.t))...), nil
}

// keyHash is the C2SP signed-note key ID: SHA-256(name ‖ "\n" ‖ type ‖ public key)[:4].
func keyHash(name string, key []byte) uint32 {
	h := sha256.New()
	h.Write([]byte(name))
	h.Write([]byte("\n"))
	h.Write(key)
	return binary.BigEndian.Uint32(h.Sum(nil))
}

func readSeed(seedHex string) ([]byte, error) {
	seed, err := hex.DecodeString(seedHex)
	if err != nil || len(seed) != ed25519.SeedSize {
		return nil, errors.New("seed must be 32 bytes of hex")
	}
	return seed, nil
}

func hashOf(b64 string) (tlog.Hash, error) {
	var h tlog.Hash
	b, err := base64.StdEncoding.DecodeString(b64)
	if err != nil || len(b) != len(h) {
		return h, fmt.Errorf("not a 32-byte base64 hash: %q", b64)
	}
	copy(h[:], b)
	return h, nil
}

func hashesOf(list []string) ([]tlog.Hash, error) {
	out := make([]tlog.Hash, len(list))
	for i, b := range list {
		h, err := hashOf(b)
		if err != nil {
			return nil, err
		}
		out[i] = h
	}
	return out, nil
}

// inclusion checks an RFC 9162 inclusion proof with tlog.CheckRecord.
func inclusion(r request) (answer, error) {
	leaf, err := hashOf(r.Leaf)
	if err != nil {
		return answer{}, err
	}
	root, err := hashOf(r.Root)
	if err != nil {
		return answer{}, err
	}
	proof, err := hashesOf(r.Proof)
	if err != nil {
		return answer{}, err
	}
	return answer{}, tlog.CheckRecord(tlog.RecordProof(proof), r.Size, root, r.Index, leaf)
}

// consistency checks an RFC 9162 consistency proof with tlog.CheckTree.
func consistency(r request) (answer, error) {
	oldRoot, err := hashOf(r.OldRoot)
	if err != nil {
		return answer{}, err
	}
	root, err := hashOf(r.Root)
	if err != nil {
		return answer{}, err
	}
	proof, err := hashesOf(r.Proof)
	if err != nil {
		return answer{}, err
	}
	return answer{}, tlog.CheckTree(tlog.TreeProof(proof), r.Size, root, r.Old, oldRoot)
}

type hashStore []tlog.Hash

func (s *hashStore) ReadHashes(indexes []int64) ([]tlog.Hash, error) {
	out := make([]tlog.Hash, len(indexes))
	for i, x := range indexes {
		out[i] = (*s)[x]
	}
	return out, nil
}

// treeHash stores the leaves with tlog.StoredHashes and returns tlog.TreeHash of all of them.
func treeHash(leaves []string) (answer, error) {
	store := hashStore{}
	for i, b := range leaves {
		data, err := base64.StdEncoding.DecodeString(b)
		if err != nil {
			return answer{}, err
		}
		hashes, err := tlog.StoredHashes(int64(i), data, &store)
		if err != nil {
			return answer{}, err
		}
		store = append(store, hashes...)
	}
	root, err := tlog.TreeHash(int64(len(leaves)), &store)
	if err != nil {
		return answer{}, err
	}
	return answer{Root: base64.StdEncoding.EncodeToString(root[:])}, nil
}
