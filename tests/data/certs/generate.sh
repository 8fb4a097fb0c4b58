#!/bin/sh
# Regenerates the TEST-ONLY certificates in this directory. Never use them for anything
# but the test suite: their private keys are public. Needs OpenSSL 3.0 (`openssl ca` for
# the expired certificate, whose dates lie in the past).
set -e
cd "$(dirname "$0")"
days=36500
key() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1" 2>/dev/null; }

# Throwaway CA
key ca.key
openssl req -x509 -new -key ca.key -sha256 -days $days -subj "/O=Example Mail Tests/CN=Example Mail Test CA" \
  -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" -out ca.pem

ext=$(mktemp)
printf 'basicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\nsubjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1\n' > "$ext"

# Server certificate for 127.0.0.1, ::1 and localhost, signed by the CA
key server.key
openssl req -new -key server.key -subj "/O=Example Mail Tests/CN=localhost" -out server.csr
openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -sha256 -days $days \
  -extfile "$ext" -out server.pem

# Self-signed certificate for the same names
key self-signed.key
openssl req -x509 -new -key self-signed.key -sha256 -days $days \
  -subj "/O=Example Mail Tests/CN=localhost (self-signed)" \
  -addext "subjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1" -out self-signed.pem

# Certificate for another name, signed by the CA (BAD_IDENTITY only)
key wrong-host.key
openssl req -new -key wrong-host.key -subj "/O=Example Mail Tests/CN=mail.example.invalid" -out wrong-host.csr
printf 'basicConstraints=CA:FALSE\nsubjectAltName=DNS:mail.example.invalid\n' > "$ext"
openssl x509 -req -in wrong-host.csr -CA ca.pem -CAkey ca.key -CAcreateserial -sha256 -days $days \
  -extfile "$ext" -out wrong-host.pem

# Expired certificate for the right names, signed by the CA: valid 2020-01-01 .. 2021-01-01
key expired.key
openssl req -new -key expired.key -subj "/O=Example Mail Tests/CN=localhost (expired)" -out expired.csr
dir=$(mktemp -d)
touch "$dir/index.txt"
echo 1000 > "$dir/serial"
cat > "$dir/ca.cnf" <<CNF
[ ca ]
default_ca = test
[ test ]
dir = $dir
database = $dir/index.txt
serial = $dir/serial
new_certs_dir = $dir
default_md = sha256
policy = anything
copy_extensions = none
[ anything ]
organizationName = optional
commonName = supplied
[ ext ]
basicConstraints = CA:FALSE
subjectAltName = DNS:localhost,IP:127.0.0.1,IP:::1
CNF
openssl ca -batch -config "$dir/ca.cnf" -cert ca.pem -keyfile ca.key -in expired.csr \
  -startdate 20200101000000Z -enddate 20210101000000Z -extensions ext -notext -out expired.pem 2>/dev/null

rm -rf "$dir" "$ext" ./*.csr ca.srl

# Expected SHA-256 fingerprints, as OpenSSL prints them, for the tests to compare against.
for c in ca server self-signed wrong-host expired; do
  openssl x509 -in $c.pem -noout -fingerprint -sha256 | sed 's/^.*=//' > $c.sha256
done
