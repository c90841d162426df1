from django.core.management.base import BaseCommand

from enterprises.indexing import expert_tokens_refresh
from enterprises.matching import KINDS, index_rebuild


class Command(BaseCommand):
    help = "重新分词并重建供需匹配索引 / Re-segment expert profiles and rebuild the matching indexes."

    def add_arguments(self, parser):
        parser.add_argument("--retokenize", action="store_true", help="re-segment every expert first")

    def handle(self, *args, retokenize=False, **options):
        if retokenize:
            from experts.models import Expert

            changed = sum(expert_tokens_refresh(pk) for pk in Expert.objects.values_list("pk", flat=True))
            self.stdout.write(f"re-segmented: {changed}")
        for kind in KINDS:
            self.stdout.write(f"{kind}: {len(index_rebuild(kind))} documents")
