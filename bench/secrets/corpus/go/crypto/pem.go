package crypto

import (
	"crypto/x509"
	"encoding/pem"
	"errors"
	"strings"
)

const rsaHeader = "-----BEGIN RSA PRIVATE KEY-----"

// IsPKCS1 tells a PKCS#1 key from a PKCS#8 one before parsing.
func IsPKCS1(text string) bool {
	return strings.HasPrefix(strings.TrimSpace(text), rsaHeader)
}

func ParsePrivateKey(data []byte) (any, error) {
	block, _ := pem.Decode(data)
	if block == nil {
		return nil, errors.New("no PEM block")
	}
	if block.Type == "RSA PRIVATE KEY" {
		return x509.ParsePKCS1PrivateKey(block.Bytes)
	}
	return x509.ParsePKCS8PrivateKey(block.Bytes)
}
