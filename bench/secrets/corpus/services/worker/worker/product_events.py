"""Consumers of product events."""
import json
import logging

log = logging.getLogger(__name__)


def handle_product_created(body: bytes) -> None:
    event = json.loads(body)
    log.info("product created", extra={"id": event["id"], "trace": event.get("trace_id")})


def handle_product_deleted(body: bytes) -> None:
    event = json.loads(body)
    log.info("product deleted", extra={"id": event["id"]})
