#!/bin/sh
# Regenerates the TEST-ONLY certificate for the autoconfig tests: *.example.test, example.test,
# localhost and 127.0.0.1, signed by the throwaway test CA of tests/data/certs/. Its private
# key is public: never use it for anything but the test suite.
set -e
cd "$(dirname "$0")"
ext=$(mktemp)
printf 'basicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\nsubjectAltName=DNS:*.example.test,DNS:example.test,DNS:localhost,IP:127.0.0.1\n' > "$ext"
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out example-test.key 2>/dev/null
openssl req -new -key example-test.key -subj "/O=Example Mail Tests/CN=*.example.test" \
  -out example-test.csr
openssl x509 -req -in example-test.csr -CA ../certs/ca.pem -CAkey ../certs/ca.key \
  -CAcreateserial -CAserial "$ext.srl" -sha256 -days 36500 -extfile "$ext" -out example-test.pem
rm -f example-test.csr "$ext" "$ext.srl"
