resource "aws_sqs_queue" "invoice" {
  name                       = "${var.prefix}-invoice-events"
  kms_master_key_id          = var.kms_key_arn
  visibility_timeout_seconds = 60
  redrive_policy = jsonencode({
    deadLetterTargetArn = aws_sqs_queue.invoice_dlq.arn
    maxReceiveCount     = 5
  })
}

resource "aws_sqs_queue" "invoice_dlq" {
  name              = "${var.prefix}-invoice-events-dlq"
  kms_master_key_id = var.kms_key_arn
}
