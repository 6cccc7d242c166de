resource "aws_sqs_queue" "order" {
  name                       = "${var.prefix}-order-events"
  kms_master_key_id          = var.kms_key_arn
  visibility_timeout_seconds = 60
  redrive_policy = jsonencode({
    deadLetterTargetArn = aws_sqs_queue.order_dlq.arn
    maxReceiveCount     = 5
  })
}

resource "aws_sqs_queue" "order_dlq" {
  name              = "${var.prefix}-order-events-dlq"
  kms_master_key_id = var.kms_key_arn
}
