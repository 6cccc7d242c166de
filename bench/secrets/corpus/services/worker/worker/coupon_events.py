"""Consumers of coupon events."""
import json
import logging

log = logging.getLogger(__name__)


def handle_coupon_created(body: bytes) -> None:
    event = json.loads(body)
    log.info("coupon created", extra={"id": event["id"], "trace": event.get("trace_id")})


def handle_coupon_deleted(body: bytes) -> None:
    event = json.loads(body)
    log.info("coupon deleted", extra={"id": event["id"]})
