# This file is maintained automatically by "terraform init".
# Manual edits may be lost in future updates.

provider "registry.terraform.io/hashicorp/aws" {
  version     = "5.31.0"
  constraints = "~> 5.0"
  hashes = [
    "h1:w185mA0WmiVL1+BuQwahhhrXA/nWtLRAHIF/OP7yX2g=",
    "zh:00529fe86db1c32d0b66649ef1f13df2811470894cec45ef359688e0c467ca00",
    "zh:5d150787a58d972d8a7efc7e1cd18ca05dce3f37baa1e118e7c6f0af75d4fb7f",
    "zh:1a8ec268a0f7a5f8f1c6935ab4adb346daf71da3c1c6c6727c2cce0db2e507d0",
    "zh:a47402eb7c1ebda092ef79562ad8ad11dbdb5532a5882f37cf20f876f76bac1d",
    "zh:6f8b56d1958840a33d5cd11f96fed5673905c8a4e5073c6e0bf9f5edc19cf971",
    "zh:81941a7eba4f9a1a82b5134dc2a9336660ed2cbce4a55d048b2b0098a1ccb41e",
  ]
}

provider "registry.terraform.io/hashicorp/random" {
  version = "3.6.0"
  hashes = [
    "h1:gsdKRRLRrZYMa7QnLSggHO6cxU4i2c86XLQ9xYUdst4=",
    "zh:c308788168c375dbd954a34d46b0e838a12265d7159a1cf5008f588bcdc81853",
  ]
}
