-- Sets the scene of docs/editors/nvim.png: beijing.icp with a typo, its
-- diagnostic, and a hover over a definition. screenshot.sh takes the picture.
vim.g.icprules_cmd = { assert(os.getenv('ICPRULES')), 'lsp' }
vim.o.number = true
vim.o.signcolumn = 'yes'
vim.o.laststatus = 2
vim.cmd('edit rules/provinces/beijing.icp')
local buf = vim.api.nvim_get_current_buf()
vim.wait(20000, function() return next(vim.lsp.buf_get_clients(buf)) ~= nil end, 50)
local lines = vim.api.nvim_buf_get_lines(buf, 0, -1, false)
local row
for i, line in ipairs(lines) do
  if line:find('require subject_admin.is_legal_representative', 1, true) then
    row = i - 1
  end
end
local typo = lines[row + 1]:gsub('is_legal_representative', 'is_legal_represntative')
vim.api.nvim_buf_set_lines(buf, row, row + 1, false, { typo })
vim.wait(20000, function() return #vim.diagnostic.get(buf) > 0 end, 50)
-- The rule in view, the cursor on `enterprise_filing`, its hover open.
vim.api.nvim_win_set_cursor(0, { row, 0 })
vim.cmd('normal! zt5\x19')
local col = vim.api.nvim_buf_get_lines(buf, row - 1, row, false)[1]:find('enterprise_filing')
vim.api.nvim_win_set_cursor(0, { row, col + 2 })
vim.lsp.buf.hover()
vim.wait(3000, function() return false end, 50)
local f = io.open(os.getenv('READY'), 'w')
f:write('ready')
f:close()
