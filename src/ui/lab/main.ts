import { mount } from 'svelte';
import '../shared.css';
import './lab.css';
import LabApp from './LabApp.svelte';

const target = document.getElementById('app');
if (target === null) throw new Error('lab.html has no #app element');
mount(LabApp, { target });
