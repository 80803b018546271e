"""A failed invoice whose dunning email went out: ``T#<tenant>#DunningNotice#<invoice id>``, created once, so a
failed invoice is announced once however many of its events arrive."""

from atrium.kernel.store.models import TenantEntity


class DunningNoticeItem(TenantEntity, discriminator="DunningNotice"):
    pass
