"""The engine's speed machinery: how the accounting runs over millions of cells.

Nothing here decides what is computed; ``engine/`` (recipes, methods, years, consolidation)
does. These modules make it fast: the (entity × period) grid, the pivot of observations
into arrays (coding, kinds, cells, cube), the arrays of one evaluation (state), factors
spread over the grid (factor_grid, part_periods), estimated shares (shares), worker
threads (workers) and the process's allocator settings (memory). Methods reach them only
through ``engine.context.MethodContext`` (docs/architecture.md, Engine map).
"""
