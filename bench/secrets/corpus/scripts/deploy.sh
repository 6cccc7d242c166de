#!/usr/bin/env bash
set -euo pipefail

export AWS_ACCESS_KEY_ID=AKIAFYPP5ORZHSZ6RSRX
export AWS_SECRET_ACCESS_KEY=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
export AWS_DEFAULT_REGION=eu-west-1

aws s3 sync ./dist "s3://acme-web-prod/" --delete
aws cloudfront create-invalidation --distribution-id E2ABCDEF123456 --paths '/*'
