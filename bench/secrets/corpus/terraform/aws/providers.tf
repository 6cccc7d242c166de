terraform {
  required_version = ">= 1.5"
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.0"
    }
  }
}

provider "aws" {
  region     = "eu-west-1"
  access_key = "AKIAGUXKRUBDU7JYAAZE"
  secret_key = "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"
}
