from django.db import models


class EmbeddingRecord(models.Model):
    """One text's embedding, keyed by model, role (query or passage) and text hash.

    Shared by all events: the same text is never encoded twice by the same model.
    """

    model = models.CharField(max_length=200)
    role = models.CharField(max_length=8)
    text_hash = models.CharField(max_length=64)
    dim = models.PositiveIntegerField()
    vector = models.BinaryField()  # float32, little-endian
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["model", "role", "text_hash"], name="embedding_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.model} {self.role} {self.text_hash[:12]}"
