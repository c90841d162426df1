FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1

# WeasyPrint's libraries, CJK fonts for official documents, gettext for the catalogues.
RUN apt-get update && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-noto-cjk gettext \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
# The runtime lock: every package pinned with its hash (make lock refreshes it).
COPY pyproject.toml requirements-prod.lock ./
RUN pip install --require-hashes -r requirements-prod.lock
COPY . .
RUN DEBUG=1 python manage.py compilemessages \
    && DEBUG=1 STATIC_ROOT=/app/staticfiles python manage.py collectstatic --noinput
ENV STATIC_ROOT=/app/staticfiles

RUN useradd --system --uid 1000 kjfz && mkdir -p /data/uploads && chown kjfz /data/uploads
USER kjfz
EXPOSE 8000
CMD ["gunicorn", "config.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "4"]
