package testcert

import (
	"crypto/tls"
	"testing"
)

func TestWriteMakesAPairTLSLoads(t *testing.T) {
	cert, key := Write(t, t.TempDir(), "x")
	pair, err := tls.LoadX509KeyPair(cert, key)
	if err != nil {
		t.Fatal(err)
	}
	if len(pair.Certificate) != 1 {
		t.Fatalf("%d certificates", len(pair.Certificate))
	}
}
