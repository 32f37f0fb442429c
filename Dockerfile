# The bot in a slim image, run as an unprivileged user. Build: docker build -t sore-back-bot .
# Settings come from the environment (see .env.example); state goes to /data (SQLite) or to
# PostgreSQL with DATABASE_URL=postgresql://... (see deploy/compose.yaml). /app is read-only to the
# bot, so the start-up cache (compiled rule patterns, parsed YAML: YAML_CACHE_DIR) is /data/cache.
FROM python:3.11-slim AS build
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1
WORKDIR /src
COPY pyproject.toml README.md ./
COPY bot ./bot
RUN python -m venv /opt/venv && /opt/venv/bin/pip install .

FROM python:3.11-slim
RUN useradd --system --uid 10001 --user-group --home-dir /app --shell /usr/sbin/nologin bot \
    && mkdir -p /app /data/cache && chown -R bot:bot /data
COPY --from=build /opt/venv /opt/venv
COPY --chown=bot:bot knowledge /app/knowledge
WORKDIR /app
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    KNOWLEDGE_DIR=/app/knowledge \
    DATABASE_URL=sqlite:////data/bot.sqlite3 \
    YAML_CACHE_DIR=/data/cache \
    BOT_WEBHOOK_LISTEN=0.0.0.0 \
    BOT_METRICS_LISTEN=0.0.0.0 \
    BOT_METRICS_PORT=9100
VOLUME ["/data"]
USER bot
EXPOSE 8443 9100
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-m", "bot", "health", "--env-file", "/dev/null"]
# SIGTERM: stop taking updates, finish and deliver what is in hand, exit 0.
STOPSIGNAL SIGTERM
CMD ["python", "-m", "bot", "run", "--env-file", "/dev/null"]
