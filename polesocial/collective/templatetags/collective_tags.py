from django import template

register = template.Library()


@register.filter
def minutes(value) -> str:
    """90 -> "1 h 30", 45 -> "45 min", 120 -> "2 h", 0 -> "—"."""
    if not value:
        return "—"
    hours, rest = divmod(int(value), 60)
    if not hours:
        return f"{rest} min"
    return f"{hours} h {rest:02d}" if rest else f"{hours} h"
