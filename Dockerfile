# Modelarium in a container: the TUI served in a browser (`modelarium web`), as a non-root user.
# Build: docker build -t modelarium .    Run with PostgreSQL: docker compose up (compose.yaml)
FROM python:3.11-slim

RUN useradd --create-home --uid 10001 modelarium \
    && mkdir -p /data /config \
    && chown modelarium:modelarium /data /config

WORKDIR /src
COPY pyproject.toml README.md LICENSE ./
COPY modelarium ./modelarium
COPY styles ./styles
RUN pip install --no-cache-dir '.[postgres,web]' && rm -rf /src

USER modelarium
WORKDIR /home/modelarium
ENV MODELARIUM_DATA_DIR=/data \
    MODELARIUM_CONFIG=/config/config.toml \
    PYTHONUNBUFFERED=1
VOLUME ["/data", "/config"]
EXPOSE 8000

# Alive when the web server accepts connections (the page itself may ask for a token).
HEALTHCHECK --interval=10s --timeout=5s --start-period=20s --retries=3 \
    CMD ["python", "-c", "import socket; socket.create_connection(('127.0.0.1', 8000), 3).close()"]

# Bound to every interface inside the container, so the page asks for MODELARIUM_WEB_TOKEN
# (generated and printed in the log when it is not set).
CMD ["modelarium", "web", "--bind", "0.0.0.0", "--port", "8000"]
