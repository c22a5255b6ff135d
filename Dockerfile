FROM python:3.11-slim
WORKDIR /app
RUN apt-get update && apt-get install -y --no-install-recommends gcc && rm -rf /var/lib/apt/lists/*
COPY pyproject.toml README.md ./
COPY game game
COPY platforms platforms
COPY models models
COPY jobs jobs
COPY workers workers
COPY kingpin kingpin
COPY migrations migrations
RUN pip install --no-cache-dir .
CMD ["kingpin", "worker"]
