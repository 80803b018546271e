"""The AWS prices the cost model (bench/cost.py) uses: every price constant is here, with its date.

AWS us-east-1 list prices as of 2026-11, DynamoDB on-demand after the Nov 2024 reduction. Check them against
the pricing pages when you change them, and change the date with them.
"""

AS_OF = "2026-11"
STATEMENT = (f"prices: AWS us-east-1 list prices as of {AS_OF} "
             "(DynamoDB on-demand after the Nov 2024 reduction)")

# Lambda, x86: duration per GB-second, plus per request; duration is billed in 1 ms steps.
LAMBDA_GB_SECOND = 0.0000166667
LAMBDA_PER_MILLION_REQUESTS = 0.20
LAMBDA_BILLING_MS = 1

# API Gateway HTTP API, the first 300 million requests a month (requests are metered in 512 KB steps).
HTTP_API_PER_MILLION_REQUESTS = 1.00

# DynamoDB on-demand, per million request units.
DYNAMODB_PER_MILLION_WRU = 0.625
DYNAMODB_PER_MILLION_RRU = 0.125

# SQS standard queues, per million requests (each 64 KB of a body is a request), after the free tier's first million.
SQS_PER_MILLION_REQUESTS = 0.40

# EventBridge, custom events put on a bus (64 KB each); a rule's delivery to a target in the account is not charged.
EVENTBRIDGE_PER_MILLION_EVENTS = 1.00

# STS AssumeRole has no charge; what it costs is time inside the function that calls it.
STS_ASSUME_ROLE = 0.0
