# One image for web, worker and beat (docker-compose.yml chooses the command).
FROM python:3.11-slim AS base
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /app
RUN groupadd --system app && useradd --system --gid app --home-dir /app app
COPY pyproject.toml constraints.txt README.md ./
COPY config ./config
COPY core ./core
COPY party_building ./party_building
COPY safety ./safety
COPY affairs ./affairs
COPY services ./services
COPY governance ./governance
COPY scenarios ./scenarios
COPY locale ./locale
COPY manage.py Procfile ./
RUN pip install -c constraints.txt . \
 && DJANGO_ENV=production SECRET_KEY=build ALLOWED_HOSTS=build PII_KEY=build PII_INDEX_KEY=build \
    python manage.py collectstatic --noinput \
 && mkdir -p /app/var && chown -R app:app /app/var
USER app
EXPOSE 8000
CMD ["sh", "-c", "uvicorn config.asgi:application --loop uvloop --http httptools --host 0.0.0.0 --port ${PORT:-8000} --forwarded-allow-ips=${TRUSTED_PROXIES:-} --workers ${WEB_CONCURRENCY:-2} --proxy-headers --no-server-header"]
