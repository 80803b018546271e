"""The one table, declared once: CDK, the local stack and tests all build it from here."""

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class IndexSpec:
    name: str
    partition_key: str
    sort_key: str


@dataclass(frozen=True)
class TableSpec:
    partition_key: str = "pk"
    sort_key: str = "sk"
    indexes: tuple[IndexSpec, ...] = (
        IndexSpec("gsi1", "gsi1pk", "gsi1sk"),
        IndexSpec("gsi2", "gsi2pk", "gsi2sk"),
    )
    ttl_attribute: str = "expires_at"
    stream_view: str = "NEW_AND_OLD_IMAGES"

    def key_attributes(self) -> list[str]:
        names = [self.partition_key, self.sort_key]
        for index in self.indexes:
            names += [index.partition_key, index.sort_key]
        return names

    def create_table_request(self, table_name: str) -> dict[str, Any]:
        """boto3 ``create_table`` arguments (the local stack and tests)."""

        def key_schema(pk: str, sk: str) -> list[dict[str, str]]:
            return [{"AttributeName": pk, "KeyType": "HASH"}, {"AttributeName": sk, "KeyType": "RANGE"}]

        return {
            "TableName": table_name,
            "BillingMode": "PAY_PER_REQUEST",
            "AttributeDefinitions": [{"AttributeName": n, "AttributeType": "S"} for n in self.key_attributes()],
            "KeySchema": key_schema(self.partition_key, self.sort_key),
            "GlobalSecondaryIndexes": [
                {
                    "IndexName": index.name,
                    "KeySchema": key_schema(index.partition_key, index.sort_key),
                    "Projection": {"ProjectionType": "ALL"},
                }
                for index in self.indexes
            ],
            "StreamSpecification": {"StreamEnabled": True, "StreamViewType": self.stream_view},
            "SSESpecification": {"Enabled": True},
        }


TABLE = TableSpec()
