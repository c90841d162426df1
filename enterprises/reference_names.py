"""The names of the reference industries, marked for translation: the rows are data, their names are shown
through `gettext` (Industry.label, str(industry)) so that the English UI reads them in English (issue 16
item 4). A name not listed here shows as it is stored."""

from django.utils.translation import gettext_noop

INDUSTRY_NAMES = (
    gettext_noop("医药健康"),
    gettext_noop("先进能源"),
    gettext_noop("先进制造"),
    gettext_noop("信息技术"),
    gettext_noop("新材料"),
    gettext_noop("节能环保"),
    gettext_noop("现代农业"),
    gettext_noop("现代服务业"),
    gettext_noop("其他"),
)
