from tdlint.cli import main

raise SystemExit(main())
