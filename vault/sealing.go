package vault

import (
	"bytes"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode"

	"filippo.io/age"
	"golang.org/x/crypto/argon2"
	"golang.org/x/crypto/chacha20poly1305"
	"golang.org/x/crypto/hkdf"

	"github.com/vellumhealth/vellum/access"
)

// Sealing: the note keys of FORMAT.md ("Per-user note keys"). A note of a physician
// who has a key pair is stored sealed: its title, body and provenance, its addenda's
// bodies and its kept drafts are ciphertext under a data key of its own, and the data
// key is sealed to the physician's public key. Only the holders of the physician's
// private key (the physician, the scribes they approved) read it, whatever else they
// hold of the OS account.

// ErrSealed: the note is sealed to a physician whose key the signed-in user does not
// hold (another physician's note under emergency access, or a key not yet granted).
var ErrSealed = errors.New("the note is sealed to its physician's key, which this user does not hold")

// ErrNoteKeys: a user's note keys cannot be opened with the password and the
// keychain's note secret: the secret was replaced (a lost keychain), or the keys
// were altered. Their notes stay sealed until recovered from the escrow.
var ErrNoteKeys = errors.New("the note keys cannot be opened with this password and keychain; recover them from the escrow (vellum vault recover-keys --identity FILE)")

// ErrKeyNotHeld: the note would be sealed to a physician's key the writer does not
// hold yet (a scribe enabled again, before their physician's next action gives it
// back, or after keys did not open at sign-in).
var ErrKeyNotHeld = errors.New("you do not hold this physician's note key yet: it is given at their next action in Vellum, then sign in again")

const dataKeySize = 32

// Keys are the physicians' private keys a session holds, by owner id, with the
// symmetric keys derived from each (computed once).
type Keys struct {
	owners  map[string]*age.X25519Identity
	derived map[string]derivedKeys
}

type derivedKeys struct{ search, dataKeys []byte }

func (k *Keys) derivedFor(owner string) derivedKeys {
	if d, ok := k.derived[owner]; ok {
		return d
	}
	id := k.owners[owner]
	d := derivedKeys{search: searchKey(id), dataKeys: derive([]byte(id.String()), "vellum note data keys v1")}
	if k.derived == nil {
		k.derived = map[string]derivedKeys{}
	}
	k.derived[owner] = d
	return d
}

// heldKeyPrefix marks a data key sealed under a key derived from its physician's
// private key, by a writer who held it; any other sealed_key is an age file sealed to
// the physician's public key (a writer who did not: a restore). The first opens with
// one symmetric decryption, the second needs an X25519 operation: lists of many
// notes open the first kind.
const heldKeyPrefix = "vellum-held-key-v1\n"

func dataKeyAD(noteID string) string { return "vellum data key v1\x00" + noteID }

// sealDataKey seals a note's data key for its owner: under the derived key when keys
// hold the owner's private key, else to the public key pub.
func sealDataKey(keys *Keys, owner, pub, noteID string, dk []byte) ([]byte, error) {
	if keys.Holds(owner) {
		return append([]byte(heldKeyPrefix), seal(keys.derivedFor(owner).dataKeys, dk, dataKeyAD(noteID))...), nil
	}
	return sealTo(pub, dk)
}

// openDataKey opens a note's sealed data key with keys, which hold owner's key.
func openDataKey(keys *Keys, owner, noteID string, sealed []byte) ([]byte, error) {
	if rest, ok := bytes.CutPrefix(sealed, []byte(heldKeyPrefix)); ok {
		return unseal(keys.derivedFor(owner).dataKeys, rest, dataKeyAD(noteID))
	}
	return openWith(keys.identity(owner), sealed)
}

// Holds says whether k opens the notes of owner.
func (k *Keys) Holds(owner string) bool {
	if k == nil {
		return false
	}
	_, ok := k.owners[owner]
	return ok
}

// Owners are the physicians whose notes k opens.
func (k *Keys) Owners() []string {
	if k == nil {
		return nil
	}
	out := make([]string, 0, len(k.owners))
	for o := range k.owners {
		out = append(out, o)
	}
	return out
}

func (k *Keys) identity(owner string) *age.X25519Identity {
	if k == nil {
		return nil
	}
	return k.owners[owner]
}

func (k *Keys) add(owner string, id *age.X25519Identity) {
	if k.owners == nil {
		k.owners = map[string]*age.X25519Identity{}
	}
	k.owners[owner] = id
}

// kek is a holder's key-encryption key: neither the password nor the keychain's note
// secret alone derives it.
func kek(password string, salt []byte, p access.Params, secret []byte, userID string) []byte {
	a := argon2.IDKey([]byte(password), salt, p.Time, p.MemoryKiB, p.Threads, 32)
	return derive(append(a, secret...), "vellum note keys v1\x00"+userID)
}

func derive(ikm []byte, info string) []byte {
	out := make([]byte, 32)
	if _, err := io.ReadFull(hkdf.New(sha256.New, ikm, nil, []byte(info)), out); err != nil {
		panic(err)
	}
	return out
}

// seal encrypts plaintext under key with XChaCha20-Poly1305: nonce, then ciphertext.
func seal(key, plaintext []byte, ad string) []byte {
	aead, err := chacha20poly1305.NewX(key)
	if err != nil {
		panic(err)
	}
	nonce := make([]byte, aead.NonceSize(), aead.NonceSize()+len(plaintext)+aead.Overhead())
	if _, err := rand.Read(nonce); err != nil {
		panic(err)
	}
	return aead.Seal(nonce, nonce, plaintext, []byte(ad))
}

func unseal(key, sealed []byte, ad string) ([]byte, error) {
	aead, err := chacha20poly1305.NewX(key)
	if err != nil {
		return nil, err
	}
	if len(sealed) < aead.NonceSize()+aead.Overhead() {
		return nil, errors.New("sealed value too short")
	}
	return aead.Open(nil, sealed[:aead.NonceSize()], sealed[aead.NonceSize():], []byte(ad))
}

// sealTo encrypts a small secret to an X25519 public key (an age file).
func sealTo(recipient string, secret []byte) ([]byte, error) {
	r, err := age.ParseX25519Recipient(recipient)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	w, err := age.Encrypt(&buf, r)
	if err != nil {
		return nil, err
	}
	if _, err := w.Write(secret); err != nil {
		return nil, err
	}
	if err := w.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func openWith(id age.Identity, sealed []byte) ([]byte, error) {
	return ageOpen([]age.Identity{id}, sealed)
}

func ageOpen(ids []age.Identity, sealed []byte) ([]byte, error) {
	r, err := age.Decrypt(bytes.NewReader(sealed), ids...)
	if err != nil {
		return nil, err
	}
	return io.ReadAll(io.LimitReader(r, 4096))
}

func generateIdentity() *age.X25519Identity {
	id, err := age.GenerateX25519Identity()
	if err != nil {
		panic(err)
	}
	return id
}

func parseIdentity(b []byte) (*age.X25519Identity, error) {
	return age.ParseX25519Identity(strings.TrimSpace(string(b)))
}

// noteContent is what a sealed note's sealed column holds.
type noteContent struct {
	Title      string   `json:"title"`
	Body       string   `json:"body"`
	Provenance []Origin `json:"provenance,omitempty"`
}

func noteAD(id string) string                 { return "vellum note v1\x00" + id }
func addendumAD(noteID, id string) string     { return "vellum addendum v1\x00" + noteID + "\x00" + id }
func draftAD(noteID string) string            { return "vellum draft v1\x00" + noteID }
func sessionKeysInfo(sessionID string) string { return "vellum session keys v1\x00" + sessionID }

// draftContent is what a kept draft's sealed column holds.
type draftContent struct {
	Text       string  `json:"text"`
	Ungrounded []Claim `json:"ungrounded"`
}

func sealJSON(key []byte, v any, ad string) ([]byte, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	return seal(key, b, ad), nil
}

func unsealJSON(key, sealed []byte, ad string, v any) error {
	b, err := unseal(key, sealed, ad)
	if err != nil {
		return err
	}
	return json.Unmarshal(b, v)
}

// keyedDigest replaces a kept draft's SHA-256 when the note is sealed: an unkeyed
// hash of a short text would let anyone confirm a guess of it.
func keyedDigest(key []byte, text string) string {
	m := hmac.New(sha256.New, key)
	m.Write([]byte("vellum draft digest v1\x00"))
	m.Write([]byte(text))
	return fmt.Sprintf("%x", m.Sum(nil))
}

// Blind index: a sealed note is found by search through HMACs of its words, under a
// key only holders of its physician's private key derive.

const (
	minPrefix = 3
	maxPrefix = 8
	termSize  = 16
)

func searchKey(id *age.X25519Identity) []byte {
	return derive([]byte(id.String()), "vellum note search v1")
}

func term(key []byte, kind, word string) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(kind))
	m.Write([]byte{0})
	m.Write([]byte(word))
	return m.Sum(nil)[:termSize]
}

// searchWords splits text the way search reads a query: runs of letters and digits,
// lower-cased.
func searchWords(s string) []string {
	return strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsNumber(r) })
}

// noteTerms are the distinct terms of a note's title and body: each word, and each
// of its prefixes of minPrefix to maxPrefix characters.
func noteTerms(key []byte, title, body string) [][]byte {
	seen := map[string]bool{}
	var out [][]byte
	add := func(kind, w string) {
		k := kind + "\x00" + w
		if seen[k] {
			return
		}
		seen[k] = true
		out = append(out, term(key, kind, w))
	}
	for _, w := range append(searchWords(title), searchWords(body)...) {
		add("w", w)
		r := []rune(w)
		for n := minPrefix; n <= maxPrefix && n <= len(r); n++ {
			add("p", string(r[:n]))
		}
	}
	return out
}

// queryTerms are the terms a note must have to match query: every word, the last
// also as a prefix (its first maxPrefix characters; the caller checks the rest).
func queryTerms(key []byte, words []string) [][]byte {
	var out [][]byte
	for i, w := range words {
		r := []rune(w)
		switch {
		case i < len(words)-1 || len(r) < minPrefix:
			out = append(out, term(key, "w", w))
		case len(r) > maxPrefix:
			out = append(out, term(key, "p", string(r[:maxPrefix])))
		default:
			out = append(out, term(key, "p", w))
		}
	}
	return out
}
