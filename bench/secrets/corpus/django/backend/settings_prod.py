import os

from .settings import *  # noqa: F401,F403

SECRET_KEY = os.environ['DJANGO_SECRET_KEY']
DATABASES['default']['PASSWORD'] = os.environ['DB_PASSWORD']
AWS_SECRET_ACCESS_KEY = os.getenv('AWS_SECRET_ACCESS_KEY')
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
