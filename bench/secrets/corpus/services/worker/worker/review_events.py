"""Consumers of review events."""
import json
import logging

log = logging.getLogger(__name__)


def handle_review_created(body: bytes) -> None:
    event = json.loads(body)
    log.info("review created", extra={"id": event["id"], "trace": event.get("trace_id")})


def handle_review_deleted(body: bytes) -> None:
    event = json.loads(body)
    log.info("review deleted", extra={"id": event["id"]})
