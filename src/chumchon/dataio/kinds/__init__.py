"""The import kinds, by the name the CLI and the UI use."""

from chumchon.dataio.kinds.base import Kind
from chumchon.dataio.kinds.contributions import Contributions
from chumchon.dataio.kinds.councils import Councils
from chumchon.dataio.kinds.members import Memberships, People
from chumchon.dataio.kinds.opening import OpeningBalances
from chumchon.dataio.kinds.organisations import Organisations
from chumchon.dataio.kinds.payouts import Payouts

KINDS: dict[str, Kind] = {kind.name: kind for kind in (People(), Memberships(), Contributions(), Payouts(),
                                                        OpeningBalances(), Councils(), Organisations())}
