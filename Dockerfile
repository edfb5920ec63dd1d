# Det Fælles Designsystem from npm, exactly as package-lock.json pins it (no CDN): only the
# package's built dist/ reaches the image; collectstatic serves it as /static/dkfds/.
FROM node:20-bookworm-slim AS front
WORKDIR /front
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund --loglevel=error

FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
RUN apt-get update && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core \
        postgresql-client gettext \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
# uv pinned with hashes, then exactly the packages of uv.lock (what CI tested), without the
# dev extra. The dependencies get a layer of their own, rebuilt only when the lock changes.
COPY scripts/uv-requirements.txt scripts/
RUN pip install --no-cache-dir --require-hashes -r scripts/uv-requirements.txt
ENV UV_PROJECT_ENVIRONMENT=/app/.venv UV_PYTHON_DOWNLOADS=never UV_COMPILE_BYTECODE=1 \
    UV_NO_CACHE=1 PATH=/app/.venv/bin:$PATH
COPY pyproject.toml uv.lock ./
RUN uv sync --locked --no-install-project
COPY . .
COPY --from=front /front/node_modules/dkfds/dist node_modules/dkfds/dist
RUN uv sync --locked \
    && for po in locale/*/LC_MESSAGES/django.po; do msgfmt -o "${po%.po}.mo" "$po"; done \
    && SECRET_KEY=build-only DATABASE_URL=postgres://x@localhost/x REDIS_URL=redis://localhost \
       CPR_ENCRYPTION_KEY=build-only CPR_HMAC_KEY=build-only MFA_ENCRYPTION_KEY=build-only \
       DJANGO_SETTINGS_MODULE=config.settings.production python manage.py collectstatic --noinput
RUN useradd --system --uid 1000 app && mkdir -p /beat && chown -R app /app /beat
USER app
EXPOSE 8000
# Workers, threads and timeouts: config/gunicorn.py (sized against the connection pool).
CMD ["gunicorn", "-c", "config/gunicorn.py", "config.wsgi:application"]
