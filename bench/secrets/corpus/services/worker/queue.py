import os

import pika
import redis

BROKER_URL = "amqp://worker:tundra_willow3319!@rabbitmq.internal:5672/orders"
CACHE = redis.Redis.from_url(os.environ.get("REDIS_URL", "redis://localhost:6379/0"))


def channel():
    return pika.BlockingConnection(pika.URLParameters(BROKER_URL)).channel()
